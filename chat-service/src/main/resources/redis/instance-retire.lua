-- Forgets an evicted instance, unless it came back meanwhile, and releases the eviction lock.
-- KEYS[1] instances zset, KEYS[2] connection counts hash, KEYS[3] eviction lock; ARGV[1] instance
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local deadline = redis.call('ZSCORE', KEYS[1], ARGV[1])
if deadline and tonumber(deadline) < now then
  redis.call('ZREM', KEYS[1], ARGV[1])
  redis.call('HDEL', KEYS[2], ARGV[1])
end
redis.call('DEL', KEYS[3])
return 1
