import bcrypt from "bcryptjs";

const COST = 10;

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, COST);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}

/** Compared against when the email is unknown, so a wrong email costs as long as a wrong password. */
export const DUMMY_PASSWORD_HASH = bcrypt.hashSync("archivist-timing-equaliser", COST);
