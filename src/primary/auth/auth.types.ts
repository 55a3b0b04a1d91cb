import { Field, ObjectType } from 'type-graphql';
import { User } from '../users/user.entity';

@ObjectType()
export class AuthPayload {
  @Field({
    description: 'Send as `Authorization: Bearer <token>`; login also sets it as an HttpOnly cookie.',
  })
  token!: string;

  @Field()
  expiresAt!: Date;

  @Field(() => User)
  user!: User;
}
