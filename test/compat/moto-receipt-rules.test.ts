// moto's own receipt-rule tests (tests/test_ses/test_ses.py, `-k receipt`) in server mode against
// Sesame's emulator profile (how they run: ./moto-suite.ts). The rest of that file runs in
// moto-ses.test.ts. Where moto asserts its own behaviour rather than AWS's, Sesame follows AWS; those
// cases are listed below with the reason, and must fail for exactly that reason.
import { CODE, SES_TEST_FILES, describeMotoSuite } from './moto-suite.js';

/** moto-only assertions Sesame does not follow, each with the message the AWS behaviour gives. */
const FOLLOWS_AWS: Record<string, RegExp> = {
  // SES's front end words pattern violations "1 validation error detected: …" (moto drops the
  // prefix); a name that matches the pattern but starts or ends with a non-alphanumeric, or is
  // longer than 64, is InvalidParameterValue "Not a valid ruleSetName: …" (moto: ValidationError).
  'test_create_receipt_rule_set_invalid[having_invalid_characters]':
    /\+ 1 validation error detected: Value at 'ruleSetName' failed to satisfy constraint/,
  'test_create_receipt_rule_set_invalid[invalid_start_character]': CODE(
    'InvalidParameterValue',
    'ValidationError',
  ),
  'test_create_receipt_rule_set_invalid[invalid_end_character]': CODE(
    'InvalidParameterValue',
    'ValidationError',
  ),
  'test_create_receipt_rule_set_invalid[exceeding_max_length]': CODE(
    'InvalidParameterValue',
    'ValidationError',
  ),
  'test_create_receipt_rule_invalid_top_level[invalid_rule_set_name]': CODE(
    'InvalidParameterValue',
    'ValidationError',
  ),
  'test_create_receipt_rule_invalid_top_level[invalid_rule_name]': CODE(
    'InvalidParameterValue',
    'ValidationError',
  ),
  // The model gives IAMRoleARN a pattern: a value that is not a role ARN fails it at the front end.
  'test_create_receipt_rule_invalid_action[non_existent_iam_role]': CODE(
    'ValidationError',
    'InvalidParameterValue',
  ),
  // UpdateReceiptRule checks its S3 bucket like CreateReceiptRule (the model declares
  // InvalidS3ConfigurationException for it); moto's test updates to a bucket that does not exist.
  test_update_receipt_rule_actions:
    /\(InvalidS3Configuration\) .*UpdateReceiptRule .*Could not write to bucket: updatedTestBucketName/,
};

describeMotoSuite("moto's receipt-rule tests in server mode", SES_TEST_FILES, [
  {
    title: 'passes every receipt-rule test except the moto-only assertions, which fail the AWS way',
    args: ['-k', 'receipt', 'tests/test_ses/test_ses.py'],
    total: 25,
    followsAws: FOLLOWS_AWS,
  },
]);
