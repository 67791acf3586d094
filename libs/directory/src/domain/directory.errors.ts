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
