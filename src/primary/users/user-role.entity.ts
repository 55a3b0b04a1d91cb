import { Entity, Index, ManyToOne, PrimaryKeyProp, type Rel } from '@mikro-orm/core';
import { Role } from './role.entity';
import { User } from './user.entity';

/**
 * Who holds which role: the pivot of User.roles, an entity of its own only so that it can declare the
 * (role_id, user_id) index. The primary key (user_id, role_id) serves a user's roles; the index serves the
 * users of a role (the users list's role filter, and the cascade when a role is deleted).
 */
@Entity({ tableName: 'user_role' })
@Index({ name: 'user_role_role_id_user_id_index', properties: ['role', 'user'] })
export class UserRole {
  [PrimaryKeyProp]?: ['user', 'role'];

  @ManyToOne({ entity: () => User, primary: true, deleteRule: 'cascade', updateRule: 'cascade' })
  user!: Rel<User>;

  @ManyToOne({ entity: () => Role, primary: true, deleteRule: 'cascade', updateRule: 'cascade' })
  role!: Rel<Role>;
}
