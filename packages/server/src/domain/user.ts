// A user account: who signs in. Storage ports and features share this shape.

export interface User {
  id: string;
  email: string;
  isVerified: boolean;
  isAnonymous: boolean;
  disabled: boolean;
  disabledReason: string | null;
  roles: string[];
  createdAt: number;
  updatedAt: number;
}
