import { Field, ObjectType } from 'type-graphql';
import { User } from '../users/user.entity';

@ObjectType({ description: 'What login returns: a new session (primary database) and who it belongs to.' })
export class AuthPayload {
  @Field({
    description: 'Send as `Authorization: Bearer <token>`; login also sets it as an HttpOnly cookie.',
  })
  token!: string;

  @Field({
    description:
      'When the session ends unless used: requests move it to SESSION_TTL_DAYS (30 by default) from ' +
      'their time, at most once an hour. Logout, deactivation or a password change end it sooner.',
  })
  expiresAt!: Date;

  @Field(() => User, { description: 'The user who signed in.' })
  user!: User;
}
