import type { User } from '@outpost/shared';

/** The signed-in identity the workspace runs as. */
export interface Session {
  user: User;
  mode: 'dev' | 'clerk';
  /** A fresh session token for `user`; rejects when offline or signed out at the provider. */
  getToken(): Promise<string>;
}
