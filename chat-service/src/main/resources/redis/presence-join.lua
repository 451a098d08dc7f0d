-- Adds one connection of a user to a room, cluster-wide.
-- KEYS[1] room members hash, KEYS[2] room connections hash, KEYS[3] this instance's index in the room's shard,
-- KEYS[4] occupied rooms set of the shard
-- ARGV[1] instance, ARGV[2] connection id, ARGV[3] user id, ARGV[4] user JSON, ARGV[5] room
-- Returns 1 when this is the user's first connection in the room anywhere, else 0 (also for a repeated join).
local field = ARGV[1] .. '/' .. ARGV[2]
if redis.call('HSETNX', KEYS[2], field, ARGV[3]) == 0 then
  return 0
end
redis.call('HSET', KEYS[3], ARGV[5] .. ' ' .. ARGV[2], ARGV[3])
local current = redis.call('HGET', KEYS[1], ARGV[3])
local n = 0
if current then
  n = tonumber(string.match(current, '^(%d+) '))
end
redis.call('HSET', KEYS[1], ARGV[3], (n + 1) .. ' ' .. ARGV[4])
if n == 0 then
  redis.call('SADD', KEYS[4], ARGV[5])
  return 1
end
return 0
