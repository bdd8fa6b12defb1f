// moto's own SES v1 tests in server mode against Sesame's emulator profile (how they run:
// ./moto-suite.ts): tests/test_ses/test_ses.py but its receipt-rule cases (moto-receipt-rules.test.ts
// runs those), test_templating.py and test_ses_sns.py. Where moto asserts its own behaviour rather
// than AWS's, Sesame follows AWS; each such case is listed with the reason and must fail with
// exactly the message the AWS behaviour gives.
import { RAISED, SES_TEST_FILES, describeMotoSuite } from './moto-suite.js';

/** SES's MessageRejected text for an unverified identity (documented; moto: "Email address not verified"). */
const NOT_VERIFIED = (who: string) =>
  new RegExp(
    `\\+ Email address is not verified\\. The following identities failed the check in region US-EAST-1: ${who}`,
  );
/** SES's wording for an address without a domain (moto: "Missing domain"). */
const MISSING_DOMAIN = /^assert "Missing final '@domain'" == 'Missing domain'/;

const SES_FOLLOWS_AWS: Record<string, RegExp> = {
  // Every front-end validation error of SES starts "1 validation error detected: " (moto drops it);
  // the enum values are listed in the model's order.
  test_list_verified_identities:
    /\+ 1 validation error detected: Value 'Unknown' at 'identityType' failed to satisfy constraint: Member must satisfy enum value set: \[EmailAddress, Domain\]/,
  test_send_unverified_email_with_chevrons: NOT_VERIFIED('John Smith <foobar@example\\.com>'),
  test_send_bulk_templated_email: NOT_VERIFIED('test@example\\.com'),
  test_get_send_statistics: NOT_VERIFIED('test@example\\.com'),
  test_send_email_invalid_address: MISSING_DOMAIN,
  test_send_templated_email_invalid_address: MISSING_DOMAIN,
  test_send_raw_email_invalid_address: MISSING_DOMAIN,
  // An email identity is an address: the display-name form is refused (moto verifies it as given).
  test_send_email_notification_with_encoded_sender: RAISED(
    'InvalidParameterValue',
    'VerifyEmailIdentity',
    'Invalid email address <Foo <foo@bar\\.baz>>\\.',
  ),
  // ListConfigurationSets "returns up to 1,000 configuration sets each time" (API reference); moto
  // pages by 100.
  test_list_configuration_sets_pagination: /^AssertionError: assert 101 == 100\b/,
  // A template comes back as stored: its CR is escaped (&#xD;) in the XML, so "\r\n" survives the
  // parser; moto writes it raw and XML's line-end normalization makes it "\n".
  test_update_ses_template:
    /^AssertionError: assert 'Dear \{\{name\}\.\.\. is \{\{color\}\}' == 'Dear \{\{name\}\.\.\. is \{\{color\}\}'\s+- Dear \{\{name\}\},\s+\+ Dear \{\{name\}\},\s+\?\s+\+/,
  test_set_identity_mail_from_domain:
    /^assert 'Identity <fo\.\.\.es not exist\.' == "Identity 'fo\.\.\.es not exist\."/,
  // VerifyDomainIdentity starts no Easy DKIM (VerifyDomainDkim does): the domain reads DkimEnabled
  // false / NotStarted; moto reports DKIM enabled and verified for every identity.
  test_get_identity_dkim_attributes: /^assert False is True$/,
};

/** test_templating.py calls moto's renderer in process; in server mode it renders through Sesame. */
const TEMPLATING_CONFTEST = `# Sesame's compat run: moto's template cases render through the server's TestRenderTemplate.
import email, json, os, uuid
import boto3
import moto.ses.template as template_module

def render_remotely(template, template_data):
    ses = boto3.client("ses", region_name="us-east-1", endpoint_url=os.environ["TEST_SERVER_MODE_ENDPOINT"])
    name = "moto-templating-" + uuid.uuid4().hex
    ses.create_template(Template={"TemplateName": name, "SubjectPart": "s", "TextPart": template})
    try:
        out = ses.test_render_template(TemplateName=name, TemplateData=json.dumps(template_data))
    finally:
        ses.delete_template(TemplateName=name)
    for part in email.message_from_string(out["RenderedTemplate"]).walk():
        if part.get_content_type() == "text/plain":
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    raise AssertionError("no text/plain part in the rendered template")

template_module.parse_template = render_remotely
`;

const TEMPLATING_FOLLOWS_AWS: Record<string, RegExp> = {
  // SES templates are Handlebars, whose grammar opens a block only on "{{#": "{{ #if name }}" is a
  // parse error, refused by CreateTemplate (moto's own engine accepts the space).
  test_template_with_if: RAISED(
    'InvalidTemplate',
    'CreateTemplate',
    'Invalid template moto-templating-\\w+: Parse error',
  ),
  test_template_with_if_else: RAISED(
    'InvalidTemplate',
    'CreateTemplate',
    'Invalid template moto-templating-\\w+: Parse error',
  ),
};

/** moto's SES feedback tests expect its fixed sample notification in an SQS queue of moto's SNS. */
const NO_FEEDBACK = /^IndexError: list index out of range$/;

const SNS_FOLLOWS_AWS: Record<string, RegExp> = {
  // SnsTopic is a topic ARN, and the identity must be verified; moto takes any string for any name.
  test_enable_disable_ses_sns_communication: RAISED(
    'InvalidParameterValue',
    'SetIdentityNotificationTopic',
    'Invalid SNS topic ARN: the-arn\\.',
  ),
  // bounce@ / complaint@ / success@example.com are ordinary recipients on SES (the mailbox simulator
  // is @simulator.amazonses.com), and SES's notifications carry the real message, not moto's sample
  // from the documentation; Sesame publishes to its own SNS subscribers, not to moto's SNS.
  test_sns_feedback_bounce: NO_FEEDBACK,
  test_sns_feedback_complaint: NO_FEEDBACK,
  test_sns_feedback_delivery: NO_FEEDBACK,
  // "raw_email" has no header block: SES requires the From header.
  test_sns_feedback_delivery_raw_email: RAISED(
    'InvalidParameterValue',
    'SendRawEmail',
    "Missing required header 'From'\\.",
  ),
  // An identity the account does not have is left out of the map (checked against SES by another
  // emulator's authors, floci-io/floci#1338); moto invents defaults for it.
  test_get_identity_notification_attributes_default_values: /^AssertionError: assert 1 == 2\b/,
  // "Feedback forwarding can only be disabled when Amazon SNS topics are specified for both bounces
  // and complaints" (API reference); moto's test sets none.
  test_set_identity_feedback_forwarding_enabled: RAISED(
    'InvalidParameterValue',
    'SetIdentityFeedbackForwardingEnabled',
    'Feedback forwarding cannot be disabled for identity test@example\\.com until a bounce and a complaint notification topic are set\\.',
  ),
};

describeMotoSuite(
  "moto's SES v1 tests in server mode",
  [...SES_TEST_FILES, 'tests/test_ses/test_templating.py', 'tests/test_ses/test_ses_sns.py'],
  [
    {
      title: 'test_ses.py (but its receipt rules): every test passes but the moto-only assertions',
      args: ['-k', 'not receipt', 'tests/test_ses/test_ses.py'],
      total: 36,
      followsAws: SES_FOLLOWS_AWS,
    },
    {
      title: 'test_templating.py, rendered by TestRenderTemplate: every case but the moto-only syntax',
      args: ['tests/test_ses/test_templating.py'],
      total: 9,
      followsAws: TEMPLATING_FOLLOWS_AWS,
      place: { 'tests/test_ses/conftest.py': TEMPLATING_CONFTEST },
    },
    {
      title: 'test_ses_sns.py: every test passes but the moto-only assertions',
      args: ['tests/test_ses/test_ses_sns.py'],
      total: 8,
      followsAws: SNS_FOLLOWS_AWS,
    },
  ],
);
