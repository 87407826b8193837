-- Keep holding a send in flight: the target's "pending" mark and the occurrence's lease.
-- KEYS: 1 the target's mark, 2 the lease sorted set; ARGV: 1 lease ms, 2 member, 3 new lease end
if redis.call('GET', KEYS[1]) ~= 'pending' then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[2], 'XX', ARGV[3], ARGV[2])
return 1
