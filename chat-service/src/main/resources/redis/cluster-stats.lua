-- Live instances and the sum of their connection counts. KEYS[1] instances zset, KEYS[2] connection counts hash.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local live = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. string.format('%.0f', now), '+inf')
local total = 0
if #live > 0 then
  for _, count in ipairs(redis.call('HMGET', KEYS[2], unpack(live))) do
    if count then
      total = total + tonumber(count)
    end
  end
end
return {#live, total}
