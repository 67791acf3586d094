/** Business failures of the directory, mapped to protocol responses in one place at the edge. */
export class UserNameTakenError extends Error {
  constructor(readonly userName: string) {
    super(`a user with userName "${userName}" already exists in this tailnet`);
  }
}

export class UserNotFoundError extends Error {
  constructor(readonly userId: string) {
    super(`user ${userId} not found`);
  }
}

/** The client's If-Match names a version the resource is no longer at (RFC 7644 §3.14). */
export class PreconditionFailedError extends Error {
  constructor(readonly currentVersion: number) {
    super(`the resource has changed (it is now at version ${currentVersion}); read it again before changing it`);
  }
}
