import { keyOf } from '../../shared/graphql/global-id';
import type { EntityManager } from '@mikro-orm/postgresql';
import { BadUserInputError, ConflictError, NotFoundError } from '../../platform/errors/errors';
import { requireText } from '../../shared/validation';
import { CarrierService } from './carrier-service.entity';
import { Carrier } from './carrier.entity';
import type { CreateCarrierInput, CreateCarrierServiceInput, UpdateCarrierInput } from './carrier.inputs';

const CODE = /^[A-Z0-9][A-Z0-9_-]{0,19}$/;
/** Codes are matched case-insensitively by storing them upper-cased, as carriers print them. */
export function normalizeCode(field: string, value: string): string {
  const code = value.trim().toUpperCase();
  if (!CODE.test(code)) {
    throw new BadUserInputError(
      field,
      'must be 1 to 20 letters, digits, - or _, starting with a letter or digit.',
    );
  }
  return code;
}

export function listCarriers(em: EntityManager): Promise<Carrier[]> {
  return em.find(Carrier, {}, { orderBy: { code: 'asc' } });
}

export function findCarrierByCode(em: EntityManager, code: string): Promise<Carrier | null> {
  return em.findOne(Carrier, { code: code.trim().toUpperCase() });
}

async function findCarrier(em: EntityManager, id: string, arg = 'id'): Promise<Carrier> {
  const key = keyOf('Carrier', id, arg);
  const carrier = key ? await em.findOne(Carrier, { id: key }) : null;
  if (!carrier) throw new NotFoundError('Carrier', id);
  return carrier;
}

export async function createCarrier(em: EntityManager, input: CreateCarrierInput): Promise<Carrier> {
  const code = normalizeCode('code', input.code);
  const name = requireText('name', input.name, 1, 200);
  if (await em.count(Carrier, { code })) throw new ConflictError(`Carrier ${code} already exists.`, 'code');
  const carrier = em.create(Carrier, { code, name });
  await em.flush();
  return carrier;
}

export async function updateCarrier(em: EntityManager, input: UpdateCarrierInput): Promise<Carrier> {
  const carrier = await findCarrier(em, input.id);
  if (input.name !== undefined) carrier.name = requireText('name', input.name, 1, 200);
  if (input.isActive !== undefined) carrier.isActive = input.isActive;
  await em.flush();
  return carrier;
}

export async function createCarrierService(
  em: EntityManager,
  input: CreateCarrierServiceInput,
): Promise<CarrierService> {
  const code = normalizeCode('code', input.code);
  const name = requireText('name', input.name, 1, 200);
  const carrier = await findCarrier(em, input.carrierId, 'carrierId');
  if (await em.count(CarrierService, { carrier, code })) {
    throw new ConflictError(`Carrier ${carrier.code} already has a service ${code}.`, 'code');
  }
  const service = em.create(CarrierService, { carrier, code, name });
  await em.flush();
  return service;
}
