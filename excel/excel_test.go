package excel_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/drive"
	"github.com/go-o365/o365/excel"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOpenAddressesTheItemThroughItsDrive(t *testing.T) {
	e := newEnv(t)
	wb, it := e.open("Book.xlsx")
	want := "/v1.0/drives/" + drive.PathSegment(it.ParentReference.DriveID) + "/items/" + drive.PathSegment(it.ID) + "/workbook"
	assert.True(t, strings.HasSuffix(wb.URL(), want), wb.URL())
	assert.NotEmpty(t, wb.SessionID())
	assert.True(t, wb.Persistent())
	mark := e.wire.Mark()
	sheets := collect(t, wb.Worksheets(e.ctx))
	require.Len(t, sheets, 1)
	assert.Equal(t, "Sheet1", sheets[0].Name)
	sent := e.wire.Since(mark)
	require.Len(t, sent, 1)
	assert.Equal(t, wb.SessionID(), sent[0].Header.Get("workbook-session-id"))
	assert.Contains(t, sent[0].URL, want+"/worksheets")
}

func TestOpenWaitsOnTheSessionOperation(t *testing.T) {
	e := newEnv(t)
	e.srv.SetWorkbookOperationPolls(2)
	mark := e.wire.Mark()
	wb, _ := e.open("Async.xlsx")
	var saw []string
	for _, s := range e.wire.Since(mark) {
		if i := strings.Index(s.URL, "/workbook"); i >= 0 {
			saw = append(saw, s.Method+" "+s.URL[i:])
		}
	}
	assert.Contains(t, saw[0], "POST /workbook/createSession")
	assert.Equal(t, 3, countPrefix(saw, "GET /workbook/operations/"), saw) // running, running, succeeded
	assert.Equal(t, 1, countPrefix(saw, "GET /workbook/sessionInfoResource(key="), saw)
	// The session read from resourceLocation works.
	r := e.rng(wb, "Sheet1!A1")
	_, err := r.SetValues(e.ctx, [][]any{{"ok"}})
	require.NoError(t, err)
}

func TestOpenWaitEndsWithTheContext(t *testing.T) {
	e := newEnv(t)
	e.srv.SetWorkbookOperationPolls(1 << 20) // never ready
	it := e.upload("Slow.xlsx")
	ctx, cancel := context.WithTimeout(e.ctx, 300*time.Millisecond)
	defer cancel()
	_, err := excel.Open(ctx, it)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.ErrorContains(t, err, "creating a session on \"Slow.xlsx\"")
}

func TestOpenTakesAnImmediateSession(t *testing.T) {
	e := newEnv(t)
	e.srv.SetWorkbookOperationPolls(-1) // Graph answers 201 when quick
	mark := e.wire.Mark()
	wb, _ := e.open("Quick.xlsx", excel.NonPersistent())
	assert.NotEmpty(t, wb.SessionID())
	assert.False(t, wb.Persistent())
	for _, s := range e.wire.Since(mark) {
		assert.NotContains(t, s.URL, "/operations/")
	}
	assert.Contains(t, string(e.wire.LastBody(t, "/createSession")), `"persistChanges":false`)
}

func countPrefix(list []string, prefix string) int {
	n := 0
	for _, s := range list {
		if strings.HasPrefix(s, prefix) {
			n++
		}
	}
	return n
}

func TestCloseEndsTheSession(t *testing.T) {
	e := newEnv(t)
	it := e.upload("Close.xlsx")
	wb, err := excel.Open(e.ctx, it)
	require.NoError(t, err)
	require.Equal(t, 1, e.srv.WorkbookSessions())
	id := wb.SessionID()
	require.NoError(t, wb.Close(e.ctx))
	assert.Equal(t, 0, e.srv.WorkbookSessions())
	assert.Equal(t, id, e.wire.Since(0)[len(e.wire.Since(0))-1].Header.Get("workbook-session-id"))
	require.NoError(t, wb.Close(e.ctx), "a second Close")
	_, err = e.rng(wb, "Sheet1!A1").Get(e.ctx)
	assert.ErrorContains(t, err, "closed")
}

func TestWithoutSessionSavesEachCall(t *testing.T) {
	e := newEnv(t)
	wb, it := e.open("NoSession.xlsx", excel.WithoutSession())
	assert.Empty(t, wb.SessionID())
	mark := e.wire.Mark()
	_, err := e.rng(wb, "Sheet1!A1:B1").SetValues(e.ctx, [][]any{{"a", 1}})
	require.NoError(t, err)
	for _, s := range e.wire.Since(mark) {
		assert.Empty(t, s.Header.Get("workbook-session-id"))
		assert.NotContains(t, s.URL, "createSession")
	}
	saved, err := e.srv.WorkbookValues(it.ID, "Sheet1!A1:B1")
	require.NoError(t, err)
	assert.Equal(t, [][]any{{"a", 1.0}}, saved)
	require.NoError(t, wb.Close(e.ctx))
}

func TestNonPersistentChangesAreNotSaved(t *testing.T) {
	e := newEnv(t)
	wb, it := e.open("WhatIf.xlsx", excel.NonPersistent())
	r := e.rng(wb, "Sheet1!A1:A2")
	_, err := r.SetValues(e.ctx, [][]any{{5}, {"=A1*3"}})
	require.NoError(t, err)
	got, err := r.Values(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, [][]any{{5.0}, {15.0}}, got, "the session sees its changes")
	saved, err := e.srv.WorkbookValues(it.ID, "Sheet1!A1:A2")
	require.NoError(t, err)
	assert.Equal(t, [][]any{{""}, {""}}, saved, "the file does not")
}

func TestPersistentSessionSaves(t *testing.T) {
	e := newEnv(t)
	wb, it := e.open("Saved.xlsx")
	_, err := e.rng(wb, "Sheet1!B2").SetValues(e.ctx, [][]any{{"kept"}})
	require.NoError(t, err)
	saved, err := e.srv.WorkbookValues(it.ID, "Sheet1!B2")
	require.NoError(t, err)
	assert.Equal(t, [][]any{{"kept"}}, saved)
}

func TestExpiredNonPersistentSessionIsReplacedOnce(t *testing.T) {
	e := newEnv(t)
	wb, _ := e.open("Temp.xlsx", excel.NonPersistent(), excel.KeepAlive(0))
	old := wb.SessionID()
	e.srv.ExpireWorkbookSessions()
	mark := e.wire.Mark()
	sheets := collect(t, wb.Worksheets(e.ctx))
	require.Len(t, sheets, 1)
	assert.NotEqual(t, old, wb.SessionID(), "a new session")
	var calls []string
	for _, s := range e.wire.Since(mark) {
		calls = append(calls, s.Method+" "+s.URL[strings.Index(s.URL, "/workbook"):]+" "+s.Header.Get("workbook-session-id"))
	}
	require.GreaterOrEqual(t, len(calls), 3, calls)
	assert.Equal(t, "GET /workbook/worksheets "+old, calls[0])
	assert.Contains(t, calls[1], "POST /workbook/createSession")
	assert.Equal(t, "GET /workbook/worksheets "+wb.SessionID(), calls[len(calls)-1])
}

func TestExpiredNonPersistentSessionRetriesOnlyOnce(t *testing.T) {
	e := newEnv(t)
	wb, _ := e.open("Temp2.xlsx", excel.NonPersistent(), excel.KeepAlive(0))
	e.srv.ExpireWorkbookSessions()
	e.srv.SetWorkbookSessionTimeout(0, time.Nanosecond) // every new session lapses at once
	_, err := e.rng(wb, "Sheet1!A1").Get(e.ctx)
	require.Error(t, err)
	assert.False(t, errors.Is(err, excel.ErrSessionExpired), "temporary sessions are not reported as expired: %v", err)
	var ge *api.GraphError
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, "invalidSessionReCreatable", ge.InnerCode)
	n := 0
	for _, s := range e.wire.Since(0) {
		if strings.HasSuffix(s.URL, "/createSession") {
			n++
		}
	}
	assert.Equal(t, 2, n, "Open's session and one replacement")
}

func TestExpiredPersistentSessionIsReported(t *testing.T) {
	e := newEnv(t)
	wb, _ := e.open("Persist.xlsx", excel.KeepAlive(0))
	id := wb.SessionID()
	e.srv.ExpireWorkbookSessions()
	mark := e.wire.Mark()
	_, err := e.rng(wb, "Sheet1!A1").SetValues(e.ctx, [][]any{{1}})
	require.Error(t, err)
	assert.ErrorIs(t, err, excel.ErrSessionExpired)
	assert.ErrorIs(t, err, o365.ErrNotFound, "the Graph error stays reachable")
	assert.Contains(t, err.Error(), "may be lost")
	assert.Equal(t, id, wb.SessionID(), "not replaced")
	assert.Len(t, e.wire.Since(mark), 1, "no retry, no new session")
	// Close of a lapsed session is not an error.
	require.NoError(t, wb.Close(e.ctx))
}

func TestSessionLapsesAfterIdleTimeout(t *testing.T) {
	e := newEnv(t)
	e.srv.SetWorkbookSessionTimeout(300*time.Millisecond, 0)
	wb, _ := e.open("Idle.xlsx", excel.KeepAlive(0))
	r := e.rng(wb, "Sheet1!A1")
	_, err := r.Get(e.ctx)
	require.NoError(t, err, "in use, the session lives")
	time.Sleep(450 * time.Millisecond)
	_, err = r.Get(e.ctx)
	assert.ErrorIs(t, err, excel.ErrSessionExpired, "idle past the timeout, it lapsed")
}

func TestKeepAliveRefreshesAnIdleSession(t *testing.T) {
	e := newEnv(t)
	e.srv.SetWorkbookSessionTimeout(600*time.Millisecond, 0)
	wb, _ := e.open("Alive.xlsx", excel.KeepAlive(50*time.Millisecond))
	id := wb.SessionID()
	time.Sleep(1300 * time.Millisecond) // more than twice the timeout, idle
	_, err := e.rng(wb, "Sheet1!A1").Get(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, id, wb.SessionID())
	refreshes := 0
	for _, s := range e.wire.Since(0) {
		if strings.HasSuffix(s.URL, "/refreshSession") {
			refreshes++
			assert.Equal(t, id, s.Header.Get("workbook-session-id"))
		}
	}
	assert.GreaterOrEqual(t, refreshes, 2)
}

func TestRefreshNeedsNoSessionWithout(t *testing.T) {
	e := newEnv(t)
	wb, _ := e.open("R.xlsx")
	require.NoError(t, wb.Refresh(e.ctx))
	assert.Contains(t, e.wire.Since(0)[len(e.wire.Since(0))-1].URL, "/workbook/refreshSession")
	nos, _ := e.open("R2.xlsx", excel.WithoutSession())
	mark := e.wire.Mark()
	require.NoError(t, nos.Refresh(e.ctx))
	assert.Empty(t, e.wire.Since(mark))
}

func TestOpenRefusesItemsItCannotAddress(t *testing.T) {
	e := newEnv(t)
	_, err := excel.Open(e.ctx, nil)
	assert.ErrorContains(t, err, "not fetched")
	it := e.upload("x.xlsx")
	it.ParentReference = nil
	_, err = excel.Open(e.ctx, it)
	assert.ErrorContains(t, err, "parentReference.driveId")
	_, err = excel.Open(e.ctx, e.root)
	assert.ErrorContains(t, err, "folder")
}

func TestNotAWorkbook(t *testing.T) {
	e := newEnv(t)
	it := e.upload("notes.txt")
	_, err := excel.Open(e.ctx, it)
	var ge *api.GraphError
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, 400, ge.StatusCode)
}

func TestExcelScope(t *testing.T) {
	assert.Equal(t, []string{"Files.ReadWrite"}, o365.ScopesFor("excel"))
	e := newEnv(t, "basic")
	it := e.upload("Scoped.xlsx")
	_, err := excel.Open(e.ctx, it)
	assert.ErrorIs(t, err, o365.ErrForbidden, "User.Read alone does not reach workbooks")
}

func TestWorksheets(t *testing.T) {
	e := newEnv(t)
	wb, _ := e.open("Sheets.xlsx")
	added, err := wb.AddWorksheet(e.ctx, "Q1 figures")
	require.NoError(t, err)
	assert.Equal(t, "Q1 figures", added.Name)
	assert.Equal(t, 1, added.Position)
	auto, err := wb.AddWorksheet(e.ctx, "")
	require.NoError(t, err)
	assert.Equal(t, "Sheet3", auto.Name)

	_, err = wb.AddWorksheet(e.ctx, "sheet1")
	var ge *api.GraphError
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, "ItemAlreadyExists", ge.Code)

	got, err := wb.Worksheet(e.ctx, "Q1 figures")
	require.NoError(t, err)
	assert.Equal(t, added.ID, got.ID)
	require.NoError(t, got.Rename(e.ctx, "Q1"))
	assert.Equal(t, "Q1", got.Name)
	byID, err := wb.Worksheet(e.ctx, added.ID)
	require.NoError(t, err)
	assert.Equal(t, "Q1", byID.Name)

	require.NoError(t, auto.Delete(e.ctx))
	var names []string
	for _, s := range collect(t, wb.Worksheets(e.ctx)) {
		names = append(names, s.Name)
	}
	assert.Equal(t, []string{"Sheet1", "Q1"}, names)
	_, err = wb.Worksheet(e.ctx, "Sheet3")
	assert.ErrorIs(t, err, o365.ErrNotFound)

	// A range through a renamed sheet with a name that needs quoting.
	q1, err := wb.Worksheet(e.ctx, "Q1")
	require.NoError(t, err)
	require.NoError(t, q1.Rename(e.ctx, "Q1 it's"))
	r, err := wb.Range("'Q1 it''s'!A1:B1")
	require.NoError(t, err)
	data, err := r.SetValues(e.ctx, [][]any{{"x", 2}})
	require.NoError(t, err)
	assert.Equal(t, "'Q1 it''s'!A1:B1", data.Address)
}

func TestRangeReadWrite(t *testing.T) {
	e := newEnv(t)
	wb, _ := e.open("Ranges.xlsx")
	sheet, err := wb.Worksheet(e.ctx, "Sheet1")
	require.NoError(t, err)
	r, err := sheet.Range("A1:C3")
	require.NoError(t, err)
	written, err := r.SetValues(e.ctx, [][]any{
		{"Region", "Q1", "Q2"},
		{"North", 120, 135.5},
		{"South", "98", true},
	})
	require.NoError(t, err)
	assert.Equal(t, "Sheet1!A1:C3", written.Address)
	assert.Equal(t, 9, written.CellCount)
	assert.Equal(t, [][]any{{"Region", "Q1", "Q2"}, {"North", 120.0, 135.5}, {"South", 98.0, true}}, written.Values,
		"numeric text becomes a number")
	assert.Equal(t, [][]string{{"Region", "Q1", "Q2"}, {"North", "120", "135.5"}, {"South", "98", "TRUE"}}, written.Text)
	assert.Equal(t, []string{"String", "Double", "Boolean"}, written.ValueTypes[2])

	// Formulas are returned as written; nil cells are left alone.
	tot, err := sheet.Range("D2:D3")
	require.NoError(t, err)
	_, err = tot.SetFormulas(e.ctx, [][]any{{"=SUM(B2:C2)"}, {"=B3*2"}})
	require.NoError(t, err)
	_, err = r.SetValues(e.ctx, [][]any{{nil, nil, nil}, {nil, 100, nil}, {nil, nil, nil}})
	require.NoError(t, err)
	got, err := sheet.Range("A2:D2")
	require.NoError(t, err)
	data, err := got.Get(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, [][]any{{"North", 100.0, 135.5, 235.5}}, data.Values)
	assert.Equal(t, [][]any{{"North", 100.0, 135.5, "=SUM(B2:C2)"}}, data.Formulas)
	assert.Equal(t, [][]any{{"General", "General", "General", "General"}}, data.NumberFormat)
	assert.Equal(t, 1, data.RowIndex)
	d3, err := wb.Range("Sheet1!D3")
	require.NoError(t, err)
	v, err := d3.Values(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, [][]any{{196.0}}, v)

	// Number formats change the text.
	_, err = got.SetNumberFormat(e.ctx, [][]any{{nil, "0.00", nil, "0.0"}})
	require.NoError(t, err)
	data, err = got.Get(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, [][]string{{"North", "100.00", "135.5", "235.5"}}, data.Text)

	used, err := sheet.UsedRange(e.ctx, true)
	require.NoError(t, err)
	assert.Equal(t, "Sheet1!A1:D3", used.Address)
}

func TestRangeClear(t *testing.T) {
	e := newEnv(t)
	wb, _ := e.open("Clear.xlsx")
	r := e.rng(wb, "Sheet1!A1:B2")
	_, err := r.Update(e.ctx, excel.RangeUpdate{Values: [][]any{{1, 2}, {3, 4}}, NumberFormat: [][]any{{"0.00", "0.00"}, {"0.00", "0.00"}}})
	require.NoError(t, err)
	_, err = r.SetFill(e.ctx, "#FFFF00")
	require.NoError(t, err)

	require.NoError(t, r.Clear(e.ctx, excel.ClearContents))
	data, err := r.Get(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, [][]any{{"", ""}, {"", ""}}, data.Values)
	assert.Equal(t, "0.00", data.NumberFormat[0][0], "contents only")
	fill, err := r.Fill(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, "#FFFF00", fill.Color)

	require.NoError(t, r.Clear(e.ctx, excel.ClearFormats))
	data, err = r.Get(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, "General", data.NumberFormat[0][0])
	fill, err = r.Fill(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, "#FFFFFF", fill.Color)

	_, err = r.SetValues(e.ctx, [][]any{{1, 2}, {3, 4}})
	require.NoError(t, err)
	require.NoError(t, r.Clear(e.ctx, ""))
	v, err := r.Values(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, [][]any{{"", ""}, {"", ""}}, v)
	assert.Contains(t, string(e.wire.LastBody(t, "/clear")), `"applyTo":"All"`)

	assert.ErrorContains(t, r.Clear(e.ctx, "Everything"), "want All, Formats or Contents")
}

func TestRangeFormat(t *testing.T) {
	e := newEnv(t)
	wb, _ := e.open("Format.xlsx")
	r := e.rng(wb, "Sheet1!A1:C1")
	f, err := r.SetFormat(e.ctx, excel.RangeFormat{ColumnWidth: excel.Ptr(135.0), HorizontalAlignment: "Center", VerticalAlignment: "Top", WrapText: excel.Ptr(true)})
	require.NoError(t, err)
	assert.Equal(t, 135.0, *f.ColumnWidth)
	font, err := r.SetFont(e.ctx, excel.RangeFont{Bold: excel.Ptr(true), Color: "#4B180E", Size: excel.Ptr(26.0), Name: "Arial"})
	require.NoError(t, err)
	assert.Equal(t, excel.RangeFont{Bold: excel.Ptr(true), Italic: excel.Ptr(false), Color: "#4B180E", Name: "Arial", Size: excel.Ptr(26.0), Underline: "None"}, *font)
	fill, err := r.SetFill(e.ctx, "#FF0000")
	require.NoError(t, err)
	assert.Equal(t, "#FF0000", fill.Color)

	// Read back, and a cell of the range alone.
	f, err = r.Format(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, "Center", f.HorizontalAlignment)
	assert.Equal(t, "Top", f.VerticalAlignment)
	assert.True(t, *f.WrapText)
	assert.Equal(t, 15.0, *f.RowHeight)
	b1 := e.rng(wb, "Sheet1!B1")
	font, err = b1.Font(e.ctx)
	require.NoError(t, err)
	assert.True(t, *font.Bold)
	assert.Equal(t, 26.0, *font.Size)

	// Mixed cells read as null.
	wide := e.rng(wb, "Sheet1!A1:D1")
	font, err = wide.Font(e.ctx)
	require.NoError(t, err)
	assert.Nil(t, font.Bold)
	assert.Empty(t, font.Color)
	f, err = wide.Format(e.ctx)
	require.NoError(t, err)
	assert.Nil(t, f.ColumnWidth)
	sent := string(e.wire.LastBody(t, "/format/font"))
	assert.NotContains(t, sent, "italic", "unset fields are not sent")

	_, err = r.SetFill(e.ctx, " ")
	assert.ErrorContains(t, err, "color is empty")
}

func TestBadAddressesFailBeforeAnyRequest(t *testing.T) {
	e := newEnv(t)
	wb, _ := e.open("Bad.xlsx")
	sheet, err := wb.Worksheet(e.ctx, "Sheet1")
	require.NoError(t, err)
	mark := e.wire.Mark()
	for _, tc := range []struct{ addr, want string }{
		{"", "empty"},
		{"A0", "row"},
		{"XFE1", "beyond XFD"},
		{"A1:B", "mixes"},
		{"1A", "not a cell reference"},
		{"A1048577", "row"},
		{"My Sheet!A1", "must be quoted"},
		{"'Open!A1", "not closed"},
		{"!A1", "empty"},
		{"Sheet1!", "names no cells"},
		{"A1:B2:C3", "not a cell reference"},
	} {
		_, err := wb.Range(tc.addr)
		assert.ErrorContains(t, err, tc.want, "wb.Range(%q)", tc.addr)
	}
	_, err = wb.Range("A1:B2")
	assert.ErrorContains(t, err, "names no worksheet")
	_, err = sheet.Range("Other!A1")
	assert.ErrorContains(t, err, `names worksheet "Other"`)
	_, err = sheet.Range("A1:")
	assert.Error(t, err)
	assert.Empty(t, e.wire.Since(mark), "no request was sent")
}

func TestShapeMismatchFailsBeforeAnyRequest(t *testing.T) {
	e := newEnv(t)
	wb, _ := e.open("Shape.xlsx")
	r := e.rng(wb, "Sheet1!A1:C2")
	mark := e.wire.Mark()
	_, err := r.SetValues(e.ctx, [][]any{{1, 2, 3}})
	assert.ErrorContains(t, err, "has 1 row(s); the range has 2 row(s) of 3 column(s)")
	_, err = r.SetValues(e.ctx, [][]any{{1, 2, 3}, {4, 5}})
	assert.ErrorContains(t, err, "row 2 has 2 value(s); the range has 3 column(s)", "ragged rows")
	_, err = r.SetFormulas(e.ctx, [][]any{{1, 2}, {3, 4}})
	assert.ErrorContains(t, err, "formulas for Sheet1!A1:C2")
	_, err = r.Update(e.ctx, excel.RangeUpdate{})
	assert.ErrorContains(t, err, "nothing to write")
	cols := e.rng(wb, "Sheet1!A:B")
	_, err = cols.SetValues(e.ctx, [][]any{{1, 2}})
	assert.ErrorContains(t, err, "whole columns or rows")
	assert.Empty(t, e.wire.Since(mark), "no request was sent")
}

func TestUnboundedRangeReadsWithoutCells(t *testing.T) {
	e := newEnv(t)
	wb, _ := e.open("Cols.xlsx")
	data, err := e.rng(wb, "Sheet1!B:C").Get(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, "Sheet1!B:C", data.Address)
	assert.Equal(t, 2, data.ColumnCount)
	assert.Equal(t, excel.MaxRows, data.RowCount)
	assert.Nil(t, data.Values)
}

func TestTables(t *testing.T) {
	e := newEnv(t)
	wb, _ := e.open("Tables.xlsx")
	_, err := e.rng(wb, "Sheet1!A1:C4").SetValues(e.ctx, [][]any{
		{"Name", "Score", "Team"},
		{"Alex", 72, "Red"},
		{"Megan", 91, "Blue"},
		{"Adele", 85, "Red"},
	})
	require.NoError(t, err)
	tbl, err := wb.AddTable(e.ctx, "Sheet1!A1:C4", true)
	require.NoError(t, err)
	assert.Equal(t, "Table1", tbl.Name)
	assert.True(t, tbl.ShowHeaders)

	var colNames []string
	for _, c := range collect(t, tbl.Columns(e.ctx)) {
		colNames = append(colNames, c.Name)
	}
	assert.Equal(t, []string{"Name", "Score", "Team"}, colNames)
	cols := collect(t, tbl.Columns(e.ctx))
	assert.Equal(t, [][]any{{"Score"}, {72.0}, {91.0}, {85.0}}, cols[1].Values)

	// Many rows in one call, at the end and at an index.
	mark := e.wire.Mark()
	added, err := tbl.AddRows(e.ctx, [][]any{{"Isaiah", 64, "Blue"}, {"Lynne", 99, "Red"}})
	require.NoError(t, err)
	assert.Equal(t, 3, added.Index)
	assert.Equal(t, 1, countMethod(e.wire.Since(mark), "POST"), "one add request for many rows (then its operation's polls)")
	_, err = tbl.AddRowsAt(e.ctx, 0, [][]any{{"Diego", 77, "Blue"}})
	require.NoError(t, err)
	rows := collect(t, tbl.Rows(e.ctx))
	require.Len(t, rows, 6)
	assert.Equal(t, []any{"Diego", 77.0, "Blue"}, rows[0].Values[0])
	assert.Equal(t, []any{"Lynne", 99.0, "Red"}, rows[5].Values[0])

	// Paging with $top/$skip.
	mark = e.wire.Mark()
	paged := collect(t, tbl.Rows(e.ctx, o365.BatchSize(4)))
	assert.Len(t, paged, 6)
	assert.Len(t, e.wire.Since(mark), 2)
	limited := collect(t, tbl.Rows(e.ctx, o365.BatchSize(2), o365.Limit(3)))
	assert.Len(t, limited, 3)

	require.NoError(t, tbl.DeleteRow(e.ctx, 0))
	rows = collect(t, tbl.Rows(e.ctx))
	require.Len(t, rows, 5)
	assert.Equal(t, "Alex", rows[0].Values[0][0])

	// Sort by team, then by score descending.
	require.NoError(t, tbl.Sort(e.ctx, false, excel.SortField{Key: 2, Ascending: true}, excel.SortField{Key: 1, Ascending: false}))
	var order []any
	for _, r := range collect(t, tbl.Rows(e.ctx)) {
		order = append(order, r.Values[0][0])
	}
	assert.Equal(t, []any{"Megan", "Isaiah", "Lynne", "Adele", "Alex"}, order)

	// Filter, read back, clear.
	crit := excel.FilterCriteria{FilterOn: "Custom", Criterion1: ">80"}
	require.NoError(t, tbl.ApplyFilter(e.ctx, "Score", crit))
	got, err := tbl.Filter(e.ctx, "Score")
	require.NoError(t, err)
	assert.Equal(t, &crit, got)
	require.NoError(t, tbl.ApplyFilter(e.ctx, "3", excel.FilterCriteria{FilterOn: "Values", Values: []any{"Red"}}))
	got, err = tbl.Filter(e.ctx, "Team")
	require.NoError(t, err)
	assert.Equal(t, []any{"Red"}, got.Values)
	require.NoError(t, tbl.ClearFilter(e.ctx, "Score"))
	got, err = tbl.Filter(e.ctx, "Score")
	require.NoError(t, err)
	assert.Nil(t, got)

	// Listed and fetched by name; its range.
	tables := collect(t, wb.Tables(e.ctx))
	require.Len(t, tables, 1)
	byName, err := wb.Table(e.ctx, "table1")
	require.NoError(t, err)
	assert.Equal(t, tbl.ID, byName.ID)
	whole, err := byName.Range(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, "Sheet1!A1:C6", whole.Address)

	require.NoError(t, tbl.Delete(e.ctx))
	_, err = wb.Table(e.ctx, "Table1")
	assert.ErrorIs(t, err, o365.ErrNotFound)
}

func TestTableWithoutHeadersAndOnASheet(t *testing.T) {
	e := newEnv(t)
	wb, _ := e.open("NoHeaders.xlsx")
	sheet, err := wb.AddWorksheet(e.ctx, "Data")
	require.NoError(t, err)
	r, err := sheet.Range("B2:C3")
	require.NoError(t, err)
	_, err = r.SetValues(e.ctx, [][]any{{1, 2}, {3, 4}})
	require.NoError(t, err)
	tbl, err := sheet.AddTable(e.ctx, "B2:C3", false)
	require.NoError(t, err)
	var names []string
	for _, c := range collect(t, tbl.Columns(e.ctx)) {
		names = append(names, c.Name)
	}
	assert.Equal(t, []string{"Column1", "Column2"}, names)
	rows := collect(t, tbl.Rows(e.ctx))
	require.Len(t, rows, 2, "the data moved down under a new header row")
	assert.Equal(t, []any{1.0, 2.0}, rows[0].Values[0])
	assert.Len(t, collect(t, sheet.Tables(e.ctx)), 1)
	first, err := wb.Worksheet(e.ctx, "Sheet1")
	require.NoError(t, err)
	assert.Empty(t, collect(t, first.Tables(e.ctx)))

	_, err = sheet.AddTable(e.ctx, "C3:D4", true)
	var ge *api.GraphError
	require.ErrorAs(t, err, &ge, "overlapping tables")
	assert.Equal(t, 400, ge.StatusCode)
}

func TestTableRowInputIsChecked(t *testing.T) {
	e := newEnv(t)
	wb, _ := e.open("RowInput.xlsx")
	_, err := e.rng(wb, "Sheet1!A1:B1").SetValues(e.ctx, [][]any{{"a", "b"}})
	require.NoError(t, err)
	tbl, err := wb.AddTable(e.ctx, "Sheet1!A1:B1", true)
	require.NoError(t, err)
	mark := e.wire.Mark()
	_, err = tbl.AddRows(e.ctx, [][]any{{1, 2}, {3}})
	assert.ErrorContains(t, err, "row 2 has 1 value(s), row 1 has 2")
	_, err = tbl.AddRows(e.ctx, nil)
	assert.ErrorContains(t, err, "no values")
	_, err = tbl.AddRowsAt(e.ctx, -1, [][]any{{1, 2}})
	assert.ErrorContains(t, err, "negative")
	assert.ErrorContains(t, tbl.Sort(e.ctx, false), "no fields")
	assert.ErrorContains(t, tbl.ApplyFilter(e.ctx, "a", excel.FilterCriteria{}), "FilterOn is empty")
	assert.Empty(t, e.wire.Since(mark))
	// Graph checks the width.
	_, err = tbl.AddRows(e.ctx, [][]any{{1, 2, 3}})
	var ge *api.GraphError
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, "invalidArgument", ge.Code)
}

func TestNamedItems(t *testing.T) {
	e := newEnv(t)
	wb, _ := e.open("Names.xlsx")
	_, err := e.rng(wb, "Sheet1!A1:B2").SetValues(e.ctx, [][]any{{1, 2}, {3, 4}})
	require.NoError(t, err)
	n, err := wb.AddName(e.ctx, "Block", "=Sheet1!$A$1:$B$2", "the numbers")
	require.NoError(t, err)
	assert.Equal(t, "Range", n.Type)
	assert.Equal(t, "Sheet1!$A$1:$B$2", n.Value)
	_, err = wb.AddName(e.ctx, "Rate", "=0.05", "")
	require.NoError(t, err)

	names := collect(t, wb.Names(e.ctx))
	require.Len(t, names, 2)
	assert.Equal(t, "Double", names[1].Type)
	assert.Equal(t, 0.05, names[1].Value)

	got, err := wb.Name(e.ctx, "block")
	require.NoError(t, err)
	assert.Equal(t, "the numbers", got.Comment)
	data, err := got.Range(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, "Sheet1!A1:B2", data.Address)
	assert.Equal(t, [][]any{{1.0, 2.0}, {3.0, 4.0}}, data.Values)

	_, err = names[1].Range(e.ctx)
	assert.ErrorIs(t, err, o365.ErrBadRequest, "a constant has no range")
	_, err = wb.Name(e.ctx, "missing")
	assert.ErrorIs(t, err, o365.ErrNotFound)
}

func TestFunctions(t *testing.T) {
	e := newEnv(t)
	wb, _ := e.open("Functions.xlsx")
	_, err := e.rng(wb, "Sheet1!B2:B4").SetValues(e.ctx, [][]any{{10}, {20}, {"n/a"}})
	require.NoError(t, err)
	res, err := wb.Function(e.ctx, "sum", map[string]any{"values": []any{1, 2.5, excel.RangeArg("Sheet1!B2:B4")}})
	require.NoError(t, err)
	assert.Equal(t, 33.5, res.Value)
	require.NoError(t, res.Err())
	res, err = wb.Function(e.ctx, "average", map[string]any{"values": []any{excel.RangeArg("Sheet1!B2:B4")}})
	require.NoError(t, err)
	assert.Equal(t, 15.0, res.Value)
	res, err = wb.Function(e.ctx, "max", map[string]any{"values": []any{3, 9, 4}})
	require.NoError(t, err)
	assert.Equal(t, 9.0, res.Value)
	res, err = wb.Function(e.ctx, "min", map[string]any{"values": []any{3, 9, 4}})
	require.NoError(t, err)
	assert.Equal(t, 3.0, res.Value)

	// Microsoft's example: pmt(rate 4.5, nper 12, pv -1250).
	res, err = wb.Function(e.ctx, "pmt", map[string]any{"rate": 4.5, "nper": 12, "pv": -1250})
	require.NoError(t, err)
	assert.InDelta(t, 5625.00000734125, res.Value, 1e-9)
	assert.Contains(t, e.wire.LastBody(t, "/functions/pmt"), byte('{'))

	// An Excel error is a result, not a failure.
	res, err = wb.Function(e.ctx, "average", map[string]any{"values": []any{}})
	require.NoError(t, err)
	assert.Equal(t, "#DIV/0!", res.Error)
	assert.ErrorContains(t, res.Err(), "#DIV/0!")
	_, err = wb.Function(e.ctx, "", nil)
	assert.ErrorContains(t, err, "name is empty")
}

func TestCallsAfterContextEnd(t *testing.T) {
	e := newEnv(t)
	wb, _ := e.open("Ctx.xlsx")
	ctx, cancel := context.WithCancel(e.ctx)
	cancel()
	_, err := e.rng(wb, "Sheet1!A1").Get(ctx)
	assert.ErrorIs(t, err, context.Canceled)
}

// A Workbook or Range made by hand, not by Open and Range, has nothing
// to call: every call says so instead of panicking.
func TestHandMadeWorkbookAndRangeFail(t *testing.T) {
	ctx := context.Background()
	_, err := new(excel.Range).Get(ctx)
	assert.ErrorContains(t, err, "no open workbook")
	_, err = new(excel.Range).Values(ctx)
	assert.ErrorContains(t, err, "no open workbook")
	wb := new(excel.Workbook)
	_, err = wb.Function(ctx, "sum", map[string]any{"values": []any{1}})
	assert.ErrorContains(t, err, "get the Workbook from excel.Open")
	n := 0
	for _, err := range wb.Worksheets(ctx) {
		assert.ErrorContains(t, err, "no open workbook")
		n++
	}
	assert.Equal(t, 1, n, "the iterator yields the error")
	r, err := wb.Range("Sheet1!A1:B1")
	require.NoError(t, err, "making a range sends nothing")
	_, err = r.SetValues(ctx, [][]any{{1, 2}})
	assert.ErrorContains(t, err, "no open workbook")
	_, err = wb.Table(ctx, "Table1")
	assert.ErrorContains(t, err, "no open workbook")
}
