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

export class GroupNotFoundError extends Error {
  constructor(readonly groupId: string) {
    super(`group ${groupId} not found`);
  }
}

export class GroupNameTakenError extends Error {
  constructor(readonly displayName: string) {
    super(`a group named "${displayName}" already exists in this tailnet (group names are compared case-insensitively, as policies see them lowercased)`);
  }
}

/** A member id that is not a user of this tailnet; nothing of the request was applied. */
export class UnknownMemberError extends Error {
  constructor(readonly userIds: string[]) {
    super(`no user ${userIds.map((id) => `"${id}"`).join(', ')} in this tailnet; nothing was changed`);
  }
}
