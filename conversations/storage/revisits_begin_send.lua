-- Take one target's mark before sending a nudge, unless the revisit was cancelled (forget-me,
-- a deleted assessment) after the clock claimed it: then nothing may name it again.
-- KEYS[1] the mark, KEYS[2] info hash; ARGV[1] member, ARGV[2] lease in ms
-- Returns "cancelled", "claimed", or the mark a send already left ("sent", "gone", "pending").
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 0 then
  return 'cancelled'
end
if redis.call('SET', KEYS[1], 'pending', 'NX', 'PX', ARGV[2]) then
  return 'claimed'
end
return redis.call('GET', KEYS[1])
