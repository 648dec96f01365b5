// INI values are typed by Python's ast.literal_eval (ini.py _parse_value), the text kept where it
// raises. Every expected value below is what Python 3.11's ast.literal_eval returned for the input
// (tuples and sets shown as lists, bytes decoded), or the input itself where it raised.
import { pythonLiteralOrText } from '../../src/inventory/python-literal.js';

describe('pythonLiteralOrText', () => {
  test.each([
    ["2222", 2222],
    ["\"deploy\"", "deploy"],
    ["'deploy'", "deploy"],
    ["True", true],
    ["False", false],
    ["None", null],
    ["yes", "yes"],
    ["no", "no"],
    ["10.0.0.1", "10.0.0.1"],
    ["1.5", 1.5],
    ["-5", -5],
    ["+7", 7],
    ["0x1F", 31],
    ["0o17", 15],
    ["0b101", 5],
    ["1_000", 1000],
    ["007", "007"],
    ["1e3", 1000.0],
    [".5", 0.5],
    ["\"a b\" # note", "a b"],
    ["foo # note", "foo # note"],
    ["[1, \"two\", None]", [1, "two", null]],
    ["(1,)", [1]],
    ["(1)", 1],
    ["()", []],
    ["{\"a\": 1, 2: [3]}", {"a": 1, "2": [3]}],
    ["{1, 2}", [1, 2]],
    ["1, 2", [1, 2]],
    ["\"a\" \"b\"", "ab"],
    ["r\"C:\\\\new\"", "C:\\\\new"],
    ["\"tab\\there\"", "tab\there"],
    ["u\"x\"", "x"],
    ["b\"bytes\"", "bytes"],
    ["\"\\x41\\u00e9\"", "A\u00e9"],
    ["", ""],
    ["\"unterminated", "\"unterminated"],
    ["1abc", "1abc"],
    ["~/.ssh/id", "~/.ssh/id"],
    ["/keys/a key", "/keys/a key"],
    ["[1, 2", "[1, 2"],
    ["{\"a\" 1}", "{\"a\" 1}"],
    ["- 5", -5],
    ["--5", "--5"],
  ])('%j → %j', (text, expected) => {
    expect(pythonLiteralOrText(text)).toEqual(expected);
  });
});
