// The 100 inputs of the embedding parity fixture (rag/src/test/resources/rag/embedding-parity.json). Varied on
// purpose: short and long (past the tokenizer's 128-token truncation, past 256 and past 510 word pieces, where
// langchain4j would start splitting), punctuation, numbers, accents, scripts other than Latin, emoji (unknown to the
// vocabulary), control characters and odd whitespace. Deterministic: no randomness, so regenerating changes nothing.

const WORDS = ('ledger lake dataset version contributor record curation label quality snapshot partition ' +
  'embedding vector index query retrieval model training evaluation royalty provenance chain block content ' +
  'address hash manifest schema column table commit branch merge review consensus annotator sample weight').split(' ')

// n words from WORDS, walking the list with a stride so neighbouring texts differ; a comma or full stop every few.
function prose (n, offset, stride) {
  const out = []
  for (let i = 0; i < n; i++) {
    let w = WORDS[(offset + i * stride) % WORDS.length]
    if (i % 17 === 16) w += '.'
    else if (i % 7 === 6) w += ','
    out.push(i === 0 || out[i - 1].endsWith('.') ? w[0].toUpperCase() + w.slice(1) : w)
  }
  return out.join(' ') + '.'
}

const handWritten = [
  'Hello world.',
  'a',
  'OK',
  '42',
  '?',
  'The quick brown fox jumps over the lazy dog.',
  'THE QUICK BROWN FOX JUMPS OVER THE LAZY DOG!',
  'Which contributor labelled the most records last week?',
  'How are royalties split when two annotators agree on a label?',
  'Retrieval-augmented generation cites the record CID of every passage.',
  'Invoices: #1042, #1043 and #1044 were paid on 2024-03-15 (EUR 1,234.56 in total).',
  'Pi is approximately 3.14159265358979; e is about 2.71828.',
  'Temperatures ranged from -40°C to +45°C, i.e. −40 °F to 113 °F.',
  'Call +1 (555) 010-9999 or write to support@example.org before 17:30 UTC.',
  'The SHA-256 of the empty string starts with e3b0c44298fc1c149afbf4c8996fb924.',
  'bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi is a CIDv1.',
  'https://example.com/path?query=a&b=c#fragment',
  'SELECT count(*) FROM rag.embeddings WHERE model_id = \'all-MiniLM-L6-v2\';',
  'for (int i = 0; i < n; i++) { sum += v[i] * v[i]; }',
  '{"key": [1, 2, 3], "nested": {"ok": true, "none": null}}',
  'Don\'t stop; it\'s fine — really, it\'s "fine"... isn\'t it?!',
  '!!!???...,,,;;;:::',
  '(((nested (parentheses) [brackets] {braces})))',
  'Café, naïve, façade, jalapeño, Zürich, São Paulo, Kraków, Ærøskøbing.',
  'Straße and Maß are German; résumé and fiancée are borrowed.',
  'Привет, как дела? Это тест на кириллице.',
  'Γειά σου Κόσμε· αυτό είναι ελληνικά.',
  'مرحبا بالعالم، هذا نص عربي.',
  'שלום עולם, זה טקסט בעברית.',
  '東京は日本の首都です。',
  '北京欢迎你，这是中文句子。',
  '서울은 대한민국의 수도입니다.',
  'नमस्ते दुनिया, यह हिंदी है।',
  'สวัสดีชาวโลก',
  'Emoji only: 🙂🚀🔥👍🏽',
  'Mixed: the model 🤖 read 3 files 📄📄📄 and replied ✓.',
  'Tabs\tand\tnewlines\nin\nthe\r\nmiddle.',
  '   leading and trailing spaces   ',
  'Zero\u200Bwidth\u200Bspaces and a soft\u00ADhyphen.',
  'Control\u0007characters\u0001inside.',
  'Ligatures ﬁ ﬂ and full-width ＡＢＣ１２３ letters.',
  'Superscripts x² + y³ = z⁴ and fractions ½ ¼ ¾.',
  'Math: ∀x ∈ ℝ, x² ≥ 0; ∑ᵢ aᵢ = ∫ f(x) dx.',
  'Currency: $5, €10, £20, ¥1000, ₹75, ₿0.001.',
  'supercalifragilisticexpialidocious antidisestablishmentarianism pneumonoultramicroscopicsilicovolcanoconiosis',
  'x'.repeat(150),
  'ab'.repeat(60) + ' end',
  '1234567890'.repeat(8),
  'word',
  'Word. Word! Word? Word; word: word, word.',
  'The index is rebuilt when a new dataset version is tagged.',
  'The index was rebuilt after the new dataset version had been tagged.',
  'Cats sleep on warm laptops.',
  'Quarterly revenue grew 12% year over year.',
  'Photosynthesis converts light energy into chemical energy.',
  'The court adjourned until Monday morning.',
  'She plays the cello in a string quartet.',
  'Mount Everest is 8,849 metres high.',
  'Water boils at 100 degrees Celsius at sea level.',
  'The patient was discharged after three days of observation.'
]

const long = [
  prose(120, 0, 1),
  prose(200, 3, 5),
  prose(300, 7, 11),
  prose(400, 1, 13),
  prose(700, 5, 7),
  prose(1200, 2, 3),
  // Two texts with the same first 300 words and different endings: both runtimes see only the first 128 tokens.
  prose(300, 4, 9) + ' The ending is about cats and pianos.',
  prose(300, 4, 9) + ' A different ending about quarterly revenue.',
  Array.from({ length: 90 }, (_, i) => `item ${i}: ${(i * 37) % 1000}.${i % 10}`).join('; '),
  Array.from({ length: 60 }, (_, i) => ['Café', 'naïve', '東京', 'Привет', 'α', '🙂'][i % 6]).join(' ')
]

// Short generated sentences fill the rest, so the fixture has exactly 100 inputs.
const filler = []
for (let i = 0; handWritten.length + long.length + filler.length < 100; i++) {
  filler.push(prose(4 + (i * 7) % 23, i * 5, 1 + (i % 6)))
}

export const SENTENCES = [...handWritten, ...long, ...filler]
