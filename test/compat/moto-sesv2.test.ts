// moto's own SES v2 tests (tests/test_sesv2/test_sesv2.py) in server mode against Sesame's emulator
// profile (how they run: ./moto-suite.ts). Their checks of moto's in-process backend are guarded by
// `if not settings.TEST_SERVER_MODE` and drop out by themselves (test_send_email,
// test_send_html_email, test_send_raw_email__with_specific_message,
// test_send_raw_email__with_to_address_display_name). Where moto asserts its own behaviour rather
// than AWS's, Sesame follows AWS; each such case is listed with the reason and must fail with
// exactly the message the AWS behaviour gives.
import { RAISED, SES_TEST_FILES, describeMotoSuite } from './moto-suite.js';

/** moto's contact tests name topics their list does not have (AWS's wording, probed against SES v2). */
const UNKNOWN_TOPIC = (topic: string) =>
  RAISED('BadRequestException', 'CreateContact', `List: test2 doesn't contain Topic: ${topic}$`);

/** The set's DeliveryOptions name a sending pool that does not exist (the model's NotFoundException). */
const NO_POOL = RAISED(
  'NotFoundException',
  'CreateConfigurationSet',
  "SendingPool <MySendingPool> doesn't exist\\.",
);

const FOLLOWS_AWS: Record<string, RegExp> = {
  // A Destination given defines the envelope: 2 recipients, not moto's 2 + the 2 of the headers.
  test_send_raw_email: /^assert 2 == 4\b/,
  // `message["Subject"] = …` adds a second Subject header (Python's email API appends): SES refuses
  // a message that repeats a single-occurrence header.
  test_send_raw_email__with_specific_message: RAISED(
    'BadRequestException',
    'SendEmail',
    "Duplicate header 'Subject'\\.",
  ),
  // With the topics in the list, UpdateContact still differs from moto: SES merges the preferences
  // given by topic and resets an AttributesData left out (confirmed by the AWS SDK team,
  // aws/aws-sdk-js-v3#5071).
  test_update_contact: UNKNOWN_TOPIC('original-topic'),
  test_update_contact__only_updates_provided_fields: UNKNOWN_TOPIC('original-topic'),
  test_update_contact__replaces_topic_preferences: UNKNOWN_TOPIC('first-topic'),
  // The emulator profile verifies identities at once; on AWS a new domain starts Easy DKIM (the API
  // reference: "this operation provides a set of DKIM tokens"), so SigningEnabled is true and the
  // status PENDING, never moto's NOT_STARTED with signing off.
  test_create_email_identity: /^assert True is False$/,
  // DeleteEmailIdentity of an identity that does not exist: the model's NotFoundException.
  test_delete_no_email_identity: RAISED(
    'NotFoundException',
    'DeleteEmailIdentity',
    'Email identity example\\.com does not exist\\.',
  ),
  // The identity's default configuration set must exist (the model's NotFoundException).
  test_get_email_identity: RAISED(
    'NotFoundException',
    'CreateEmailIdentity',
    'Configuration set <test-config-set> does not exist\\.',
  ),
  // NextSigningKeyLength is an enum of the model: RSA_1024_BIT | RSA_2048_BIT.
  test_get_email_identity_w_dkim: RAISED(
    'BadRequestException',
    'CreateEmailIdentity',
    "1 validation error detected: Value '2048' at 'dkimSigningAttributes\\.nextSigningKeyLength' failed to satisfy constraint: Member must satisfy enum value set: \\[RSA_1024_BIT, RSA_2048_BIT\\]",
  ),
  test_create_configuration_set: NO_POOL,
  test_get_configuration_set: NO_POOL,
  test_list_configuration_sets: NO_POOL,
  test_delete_configuration_set: NO_POOL,
  // A sending-authorization policy's Resource must be the ARN of the identity it is attached to
  // (SES developer guide); moto's names the identity in another region.
  test_get_email_identity_policies: RAISED(
    'BadRequestException',
    'CreateEmailIdentityPolicy',
    'Resource arn:aws:ses:ap-southeast-1:123456789012:identity/example\\.com must be arn:aws:ses:us-east-1:123456789012:identity/example\\.com',
  ),
};

describeMotoSuite(
  "moto's SES v2 tests in server mode",
  [...SES_TEST_FILES, 'tests/test_sesv2/__init__.py', 'tests/test_sesv2/test_sesv2.py'],
  [
    {
      title: 'test_sesv2.py: every test passes but the moto-only assertions, which fail the AWS way',
      args: ['tests/test_sesv2/test_sesv2.py'],
      total: 47,
      followsAws: FOLLOWS_AWS,
    },
  ],
);
