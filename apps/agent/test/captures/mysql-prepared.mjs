// Prepared statements through mysql2 (COM_STMT_PREPARE/EXECUTE/CLOSE), one failing prepare.
import mysql from 'mysql2/promise';

const conn = await mysql.createConnection({ host: '127.0.0.1', user: 'root', database: 'test' });
const [rows] = await conn.execute('SELECT name FROM zs_l7 WHERE id = ?', [2]);
if (rows.length !== 1) throw new Error('expected one row');
conn.unprepare('SELECT name FROM zs_l7 WHERE id = ?');
await conn.execute('SELECT * FROM zs_l7_missing WHERE id = ?', [1]).catch(() => {});
await conn.end();
