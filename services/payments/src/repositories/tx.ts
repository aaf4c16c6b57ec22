// A database or a transaction: repositories take either, use-cases own the boundaries.
import type { Db } from '@bank/kit';

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;
