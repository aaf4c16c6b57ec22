// A database or a transaction: repositories take either, use-cases own the boundaries. The hot
// path's constant statements run on the client under either (@bank/kit clientOf).
import type { Db } from '@bank/kit';

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;
