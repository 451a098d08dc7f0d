-- Accepts one message into a room in a single atomic step (so an ack means: stored, queued, published).
-- KEYS[1] room log stream, KEYS[2] outbox stream of the room's shard, KEYS[3] (optional) idempotency key
-- ARGV[1] message JSON without "id" and "ts" (both come from the stream id), ARGV[2] approximate MAXLEN,
-- ARGV[3] "1" to append to the outbox, ARGV[4] room, ARGV[5] room channel, ARGV[6] idempotency TTL (ms),
-- ARGV[7] PUBLISH (standalone) or SPUBLISH (cluster: the event stays on the room's shard),
-- ARGV[8] the message id format (MessageId.FORMAT: milliseconds, sequence, room)
-- Returns {stream id, 1 if the key was seen before else 0, stored JSON of that earlier message or false}.
local log, outbox, refKey = KEYS[1], KEYS[2], KEYS[3]
local rest, maxlen, withOutbox, room, channel, refTtl = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local publish, idFormat = ARGV[7], ARGV[8]
if publish ~= 'PUBLISH' and publish ~= 'SPUBLISH' then
  return redis.error_reply('ERR append.lua: ARGV[7] must be PUBLISH or SPUBLISH')
end

if refKey then
  local earlier = redis.call('GET', refKey)
  if earlier then
    local entry = redis.call('XRANGE', log, earlier, earlier)
    local stored = false
    if entry[1] then
      stored = entry[1][2][2]
    end
    return {earlier, 1, stored}
  end
end

-- Each entry names its predecessor (p): once trimming has removed entries, the first retained entry's p is the
-- newest id trimmed, which tells history() whether a cursor lost anything. (Redis 7 records max-deleted-entry-id
-- for XDEL only, not for trimming.)
local newest = redis.call('XREVRANGE', log, '+', '-', 'COUNT', 1)
local previous = '0-0'
if newest[1] then
  previous = newest[1][1]
end
local id = redis.call('XADD', log, 'MAXLEN', '~', maxlen, '*', 'm', rest, 'p', previous)
if refKey then
  redis.call('SET', refKey, id, 'PX', refTtl)
end

-- The message id is formatted as MessageId formats it (Java passes its format); ts is the id's milliseconds.
local ms, seq = string.match(id, '^(%d+)-(%d+)$')
local full = '{"id":"' .. string.format(idFormat, tonumber(ms), tonumber(seq), room) .. '","ts":' .. ms .. ','
    .. string.sub(rest, 2)
if withOutbox == '1' then
  redis.call('XADD', outbox, '*', 'msg', full)
end
redis.call(publish, channel, '{"type":"posted","message":' .. full .. '}')
return {id, 0, false}
