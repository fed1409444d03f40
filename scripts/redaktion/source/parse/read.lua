-- Read many Markdown texts in one pandoc process, each on its own.
--
-- Called as `pandoc lua read.lua READER` with a JSON array of strings on stdin; writes one
-- line per text: the pandoc JSON AST of that text, or {"error": "..."}. Every text goes
-- through its own `pandoc.read`, so nothing in one (an unclosed fence, a div) can reach
-- into the next.
local reader = arg[1]
local texts = pandoc.json.decode(io.read("a"), false)
for _, text in ipairs(texts) do
  local ok, result = pcall(pandoc.read, text, reader)
  if ok then
    io.write(pandoc.write(result, "json"), "\n")
  else
    io.write('{"error":', pandoc.json.encode(tostring(result)), "}\n")
  end
end
