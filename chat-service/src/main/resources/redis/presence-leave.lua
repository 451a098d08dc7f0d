-- Removes one connection from a room; also how survivors evict the connections of a dead instance.
-- KEYS: as presence-join.lua (KEYS[3] = the index of the instance that held the connection)
-- ARGV[1] instance that held the connection, ARGV[2] connection id, ARGV[3] room
-- Returns the user's JSON when that was the user's last connection in the room anywhere, else false.
-- Idempotent: only the call that removes the last connection gets the JSON, so a leave is reported once.
local field = ARGV[1] .. '/' .. ARGV[2]
redis.call('HDEL', KEYS[3], ARGV[3] .. ' ' .. ARGV[2])
local user = redis.call('HGET', KEYS[2], field)
if not user then
  return false
end
redis.call('HDEL', KEYS[2], field)
local current = redis.call('HGET', KEYS[1], user)
if not current then
  return false
end
local n, json = string.match(current, '^(%d+) (.*)$')
n = tonumber(n) - 1
if n > 0 then
  redis.call('HSET', KEYS[1], user, n .. ' ' .. json)
  return false
end
redis.call('HDEL', KEYS[1], user)
if redis.call('HLEN', KEYS[1]) == 0 then
  redis.call('SREM', KEYS[4], ARGV[3])
end
return json
