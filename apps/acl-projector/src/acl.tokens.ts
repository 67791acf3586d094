/** Injection tokens of the ACL projector's HTTP module. */
export const ACL_LOGGER = Symbol('Logger');
