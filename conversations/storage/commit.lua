-- Apply one interview transition atomically (a compare-and-set on the state's version).
-- KEYS: 1 state hash, 2 delivery mark (a hash), 3 user's interviews set, 4 asks zset,
--       5 assessment record, 6 user's assessments set, 7 the team's revisit outbox,
--       8 the team's index of deliveries owed (for the sweeper)
-- ARGV: 1 expected version ("0": the key must not exist, or must be closed when ARGV[9]="1",
--       then the new version follows the closed one's),
--       2 new state JSON, 3 state TTL ms, 4 delivery TTL ms, 5 "1" to mark the delivery,
--       6 member for the interviews set, 7 record JSON ("" for none), 8 assessment id,
--       9 "1" when starting (a closed interview in the thread may be replaced),
--       10 the new state's status, 11 this attempt's token, 12 the effects JSON to deliver,
--       13 until when (ms) this attempt alone delivers them (then another may),
--       14 the revisit outbox entry (with a record), 15 the delivery's entry in the index
-- The token makes a re-sent call (the client timed out, the first call ran all the same)
-- recognise its own first write: it answers "ok" with the version that write made.
local function is_hash(key) return redis.call('TYPE', key).ok == 'hash' end
if ARGV[5] == '1' then
  if is_hash(KEYS[2]) and redis.call('HGET', KEYS[2], 'token') == ARGV[11] then
    return {'ok', redis.call('HGET', KEYS[2], 'version')}
  end
elseif redis.call('HGET', KEYS[1], 'token') == ARGV[11] then
  return {'ok', redis.call('HGET', KEYS[1], 'version')}
end
local current = redis.call('HGET', KEYS[1], 'version') or '0'
local base = ARGV[1]
if ARGV[9] == '1' and current ~= '0' then
  if redis.call('HGET', KEYS[1], 'status') == 'open' then return {'exists', current} end
  -- a closed interview is replaced: the versions go on from it, so that no version of
  -- the thread ever stands for two states (a process's memory of one is checked by it)
  base = current
end
if current ~= base then return {'conflict', current} end
local version = tonumber(base) + 1
if ARGV[5] == '1' then
  if redis.call('EXISTS', KEYS[2]) == 1 then return {'duplicate', current} end
  -- The effects stay in the mark until they are delivered (InterviewStore.delivered).
  redis.call('HSET', KEYS[2], 'token', ARGV[11], 'version', version, 'fx', ARGV[12],
    'lease', ARGV[13])
  redis.call('PEXPIRE', KEYS[2], ARGV[4])
  -- listed for the sweeper, due when this attempt's lease is over; gone once delivered
  redis.call('ZADD', KEYS[8], ARGV[13], ARGV[15])
end
if ARGV[9] == '1' then redis.call('DEL', KEYS[1], KEYS[4]) end
redis.call('HSET', KEYS[1], 'version', version, 'status', ARGV[10], 'data', ARGV[2],
  'token', ARGV[11])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('SADD', KEYS[3], ARGV[6])
redis.call('PEXPIRE', KEYS[3], ARGV[3])
if redis.call('EXISTS', KEYS[4]) == 1 then redis.call('PEXPIRE', KEYS[4], ARGV[3]) end
if ARGV[7] ~= '' then
  redis.call('SET', KEYS[5], ARGV[7])
  redis.call('SADD', KEYS[6], ARGV[8])
  -- in the same step as the record: no completed assessment without a revisit on its way
  redis.call('HSET', KEYS[7], ARGV[8], ARGV[14])
end
return {'ok', tostring(version)}
