-- Reads a room log and, in the same atomic step, what tells whether anything asked for was trimmed.
-- KEYS[1] room log stream; ARGV[1] exclusive start cursor ("" = the newest entries), ARGV[2] how many
-- Returns {entries, max-deleted-entry-id, entries-added, predecessor of the first retained entry}; entries newest
-- first without a cursor, else oldest first. The newest id no longer in the log is the larger of the last two.
local log, since, count = KEYS[1], ARGV[1], tonumber(ARGV[2])
if redis.call('EXISTS', log) == 0 then
  return {{}, '0-0', 0, '0-0'}
end
local info = redis.call('XINFO', 'STREAM', log)
local maxDeleted, added = '0-0', 0
for i = 1, #info, 2 do
  if info[i] == 'max-deleted-entry-id' then
    maxDeleted = info[i + 1]
  elseif info[i] == 'entries-added' then
    added = info[i + 1]
  end
end
local entries
if since == '' then
  entries = redis.call('XREVRANGE', log, '+', '-', 'COUNT', count)
else
  entries = redis.call('XRANGE', log, '(' .. since, '+', 'COUNT', count)
end
local first = redis.call('XRANGE', log, '-', '+', 'COUNT', 1)
local trimmed = '0-0'
if first[1] then
  local fields = first[1][2]
  for i = 1, #fields, 2 do
    if fields[i] == 'p' then
      trimmed = fields[i + 1]
    end
  end
end
return {entries, maxDeleted, added, trimmed}
