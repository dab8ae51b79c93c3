// Package excel reads and writes Excel workbooks stored in OneDrive or
// SharePoint through Microsoft Graph's workbook API: worksheets, ranges
// by A1 address (values, formulas, number formats, text, formatting),
// tables (rows, columns, sort, filter, and the visible view of a
// filtered range), charts (add, place, re-source, render as PNG),
// defined names and Excel's worksheet functions.
//
// Open a workbook from a drive.DriveItem of any drive (a user's, a
// group's, a site's): the workbook is addressed as
// /drives/{drive-id}/items/{item-id}/workbook, from the item's
// parentReference.driveId and id.
//
//	item, err := d.ItemByPath(ctx, "Reports/Q1.xlsx")
//	wb, err := excel.Open(ctx, item)
//	defer wb.Close(ctx)
//	sheet, err := wb.Worksheet(ctx, "Sheet1")
//	r, err := sheet.Range("A1:C2")
//	_, err = r.SetValues(ctx, [][]any{{"Region", "Q1", "Q2"}, {"North", 120, 135}})
//
// Sessions. Graph recommends a workbook session for a series of calls.
// Open creates a persistent one (changes are saved) by default,
// NonPersistent a temporary one (changes are thrown away when it ends),
// and WithoutSession none (each call is saved at once). Every call sends
// the session's workbook-session-id header. Graph ends a session that
// stays idle for a few minutes (about 7 for a persistent one, 5 for a
// temporary one), so while the workbook is open a background
// refreshSession keeps an idle session alive; Close stops it and closes
// the session. Session creation uses Graph's long-running pattern
// (Prefer: respond-async): a 202 answer's operation is polled until the
// session is ready, within the context. Any other call Graph answers
// 202 with a monitor is waited on the same way, its result read from the
// operation's resourceLocation. Table.AddRows and Table.DeleteRow ask for
// respond-async themselves, as Graph runs them as long-running operations.
//
// If a session lapses anyway (a sleeping laptop, a long pause), a
// temporary session is replaced by a new one and the call retried once:
// its changes were going to be thrown away in any case. A persistent
// session is not replaced: the call fails with an error matching
// ErrSessionExpired, because changes made since the last successful call
// may not have been saved, and only the caller knows whether to redo
// them.
//
// Values. Cell grids are [][]any, row by row, holding what Graph's JSON
// holds: float64 numbers, strings, booleans and nil. A1 addresses are
// checked before any request (ParseAddress), and so is the shape of a
// grid written to a range: a grid whose rows or columns do not match the
// range, or whose rows differ in length, is an error naming both shapes.
// A nil cell in a written grid leaves that cell alone, as in Graph.
//
// Tables are listed with iterators, read a page at a time when
// o365.BatchSize is given (Graph pages workbook collections with $top
// and $skip); AddRows writes many rows in one call. A filter hides rows
// rather than removing them: VisibleView reads what it leaves shown.
//
// Charts are a worksheet's (AddChart, Charts, Chart), addressed by name
// as Graph's pages do; a chart's source range is checked like any
// address before the request, and Image returns the PNG Graph renders,
// decoded from the base64 it sends.
package excel
