// Errors of the simulator operations: IAM's codes and wording (src/iam/errors.ts).
export { constraintViolation, invalidInput, noSuchEntity, validationError } from '../iam/errors.js';
export { required } from '../iam/input.js';
