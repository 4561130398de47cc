-- text_bigrams in linear time. The first version called substr(lower(t), i, 2) for every position i: each call
-- lowered the whole text again and walked it from the start to character i, so a text of n characters cost n²
-- (40,000 characters: 18 s, during which PGlite answers nothing). This one lowers once, splits into characters
-- once, and pairs each character with the next by zipping two slices of that array. The result is the same set
-- as before on every input, including where lower() changes a text's length: positions still run from 1 to
-- char_length(t) - 1 over the lowered text, a missing character reads as '' as substr would give it (the third,
-- all-zero array only keeps unnest producing rows for such positions). The GIN index over it keeps its keys.
CREATE OR REPLACE FUNCTION text_bigrams(t text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS
$$ SELECT ARRAY(
  SELECT DISTINCT coalesce(u.a, '') || coalesce(u.b, '')
  FROM (SELECT string_to_array(lower(t), NULL) AS c, char_length(t) - 1 AS m) AS v,
       unnest(v.c[1:v.m], v.c[2:v.m + 1], array_fill(0, ARRAY[greatest(v.m, 0)])) AS u(a, b, pad)) $$;
