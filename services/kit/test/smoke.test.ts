import t from 'tap';
const x: number = 1;
t.equal(x, 1, 'one');
t.test('sub', async (t) => { t.ok(true); t.equal(2, 2); });
