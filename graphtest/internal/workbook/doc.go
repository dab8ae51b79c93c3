// Package workbook is graphtest's Excel engine: a workbook's worksheets,
// their cells kept sparsely (a range of 100,000 cells costs what its used
// cells cost), A1 addresses, value/formula/number-format grids, formats,
// the few formulas tests need (numbers, cell references, + - * / and
// SUM, AVERAGE, MAX, MIN, COUNT), tables, defined names and the used
// range, with the JSON shapes Graph gives them.
//
// It knows nothing of HTTP routes, sessions or drive items: graphtest's
// excel_*.go handlers parse a request (ParseSegment, ParseAddress), call
// the engine, and answer an *Error with its Status, Code and Inner code.
// Keeping it apart lets the engine be read and fuzzed on its own.
package workbook
