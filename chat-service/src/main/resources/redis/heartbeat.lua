-- An instance says it is alive, on the Redis clock (instances' clocks may disagree).
-- KEYS[1] instances zset (member -> deadline ms), KEYS[2] connection counts hash
-- ARGV[1] instance, ARGV[2] how long this beat keeps it alive (ms), ARGV[3] its local connection count
-- Returns 1 when the instance was not alive before this beat (first beat, or it had expired), else 0.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local previous = redis.call('ZSCORE', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[1], string.format('%.0f', now + tonumber(ARGV[2])), ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
if previous and tonumber(previous) >= now then
  return 0
end
return 1
