import t from 'tap';
import { Type } from 'typebox';
import { ConfigError, loadConfig } from '../src/config.ts';

const props = { PORT: Type.Integer({ minimum: 1, maximum: 65535, default: 3001 }), DATABASE_URL: Type.String({ pattern: '^postgres(ql)?://' }) };

t.test('coerces, applies defaults and ignores unrelated variables', async (t) => {
  const cfg = loadConfig('svc', props, { DATABASE_URL: 'postgres://x@h/db', PORT: '4000', UNRELATED: 'x' });
  t.equal(cfg.PORT, 4000);
  t.equal(cfg.HOST, '127.0.0.1');
  t.equal(cfg.LOG_LEVEL, 'info');
  t.notOk('UNRELATED' in cfg);
});

t.test('empty strings fall back to defaults', async (t) => {
  const cfg = loadConfig('svc', props, { DATABASE_URL: 'postgres://x@h/db', PORT: '' });
  t.equal(cfg.PORT, 3001);
});

t.test('fails fast naming every bad variable', async (t) => {
  const err = t.throws(() => loadConfig('auth', props, { PORT: 'abc', LOG_LEVEL: 'loud' })) as ConfigError;
  t.type(err, ConfigError);
  t.match(err.message, /Invalid configuration for auth/);
  t.match(err.message, /PORT/);
  t.match(err.message, /LOG_LEVEL/);
  t.match(err.message, /DATABASE_URL/);
});
