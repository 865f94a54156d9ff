// Package privacy finds personal data in text that is about to be published:
// resident identity numbers (身份证号), mainland mobile numbers (手机号), bank
// card numbers (银行卡号) and e-mail addresses (电子邮箱). Scan finds them in one
// string; CheckRecord, CheckReport and CheckSite scan every published text of
// a record, year report or site.toml (content's PublishedTexts, the one list
// of what is published) and the narratives, and report each finding as an
// error that names the file and line and shows the match masked
// (138****5678), so that the message itself does not spread the data into
// logs. A narrative is scanned as written and, when it holds markup that
// could split a number in the source (an escape, emphasis, a character
// reference), as the page shows it.
//
// What counts as a match, and why:
//
//   - A number is a maximal run of digits: a run inside a longer run is not a
//     match, and neither is the integer or fraction part of a decimal (52.88)
//     or a figure followed by %. Dates (20231231, 2023-12-31), amounts
//     (121421), document numbers (潜财绩[2023]1号), the 12345 hotline and
//     landlines (0728-6221234) are too short or have the wrong shape.
//   - 身份证号: 18 characters (the last may be X) with a known province code, a
//     birth date between 1900-01-01 and today and a valid ISO 7064 MOD 11-2
//     check digit; or a 15-digit legacy number with a province code and a
//     valid 19YYMMDD birth date. Also written in groups 6-8-4.
//   - 手机号: 11 digits whose first three are an allocated mobile prefix (130–139,
//     145–149, 150–153, 155–159, 162, 165–167, 170–178, 180–189, 190–193,
//     195–199), contiguous or grouped 3-4-4 with spaces or hyphens, optionally
//     after +86 or 0086.
//   - 银行卡号: 16 to 19 digits that pass the Luhn check and start with 3, 4, 5,
//     6 or 9 (the issuer ranges of cards used in China: JCB, Visa, Mastercard,
//     UnionPay 62…, domestic 9…), contiguous or grouped in fours. The first
//     digit rule keeps year-prefixed project codes (2023…) out: one in ten
//     random numbers passes Luhn alone.
//   - 电子邮箱: local@domain.tld with ASCII characters.
//
// Full-width characters (１３８…, ＠) are folded to ASCII with Unicode NFKC
// before matching, because text pasted from Word or WPS often has them.
// Format characters (Unicode category Cf: zero-width space, soft hyphen,
// word joiner, byte-order mark, bidi controls) are skipped: the reader does
// not see them, so 138<U+200B>1234<U+200B>5678 is the number it shows.
//
// A record may publish a match on purpose (a service hotline, a contact
// address): its allow_personal_data list names such matches, and a listed
// entry that no longer matches anything gets a warning.
//
// It is not a general data-loss-prevention tool: it knows four patterns of
// mainland China and nothing of names, addresses or other identifiers, and it
// does not read TOML comments or unpublished fields.
package privacy
