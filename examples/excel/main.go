// Command excel works with an Excel workbook in OneDrive: it uploads a
// workbook, opens it with a workbook session, writes a table of figures
// with a total row computed by Excel, formats the header, adds a table
// and sorts it, reads a range back and prints it as text, filters the
// table and prints the rows left visible, adds a chart and renders it,
// and asks Excel for a loan payment (PMT).
//
// With no credentials in the environment it runs offline against the
// graphtest emulator, as Adele, uploading an empty .xlsx (graphtest makes
// any .xlsx a workbook with one sheet). Against a real tenant, set
// O365_CLIENT_ID, O365_CLIENT_SECRET (omit it for a public client),
// O365_TENANT, and O365_WORKBOOK, the path in your OneDrive of an
// existing workbook to write to (a real workbook is a zip file; the
// example writes to its first sheet, so use a scratch copy); the app
// needs Files.ReadWrite. Tokens are kept in o365_token.json.
package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image/png"
	"io"
	"os"
	"strings"

	"github.com/go-o365/o365/drive"
	"github.com/go-o365/o365/excel"
	"github.com/go-o365/o365/internal/demo"
)

func main() { demo.Main(offline, realTenant) }

func offline(ctx context.Context, w io.Writer) error {
	srv, account, err := demo.Start(ctx, w, nil, "excel", "onedrive")
	if err != nil {
		return err
	}
	defer srv.Close()
	d, err := account.Storage().DefaultDrive(ctx)
	if err != nil {
		return err
	}
	root, err := d.Root(ctx)
	if err != nil {
		return err
	}
	book := []byte("(an empty workbook)")
	item, err := root.Upload(ctx, "Sales 2026.xlsx", bytes.NewReader(book), int64(len(book)), nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Uploaded %s\n", item.Name)
	return run(ctx, w, item)
}

func realTenant(ctx context.Context, w io.Writer) error {
	path := os.Getenv("O365_WORKBOOK")
	if path == "" {
		return errors.New("set O365_WORKBOOK to the OneDrive path of a scratch workbook, e.g. Documents/Scratch.xlsx")
	}
	account, err := demo.RealTenant(ctx, "excel", "onedrive")
	if err != nil {
		return err
	}
	d, err := account.Storage().DefaultDrive(ctx)
	if err != nil {
		return err
	}
	item, err := d.ItemByPath(ctx, path)
	if err != nil {
		return err
	}
	return run(ctx, w, item)
}

func run(ctx context.Context, w io.Writer, item *drive.DriveItem) error {
	wb, err := excel.Open(ctx, item)
	if err != nil {
		return err
	}
	defer wb.Close(ctx)
	fmt.Fprintf(w, "Opened a persistent workbook session\n")

	var sheet *excel.Worksheet
	for s, err := range wb.Worksheets(ctx) {
		if err != nil {
			return err
		}
		if sheet == nil {
			sheet = s
		}
	}
	if sheet == nil {
		return errors.New("the workbook has no worksheet")
	}

	// The figures, and a total row that Excel computes.
	figures, err := sheet.Range("A1:D5")
	if err != nil {
		return err
	}
	if _, err := figures.SetValues(ctx, [][]any{
		{"Region", "Q1", "Q2", "Q3"},
		{"North", 1200, 1350, 1410},
		{"South", 980, 1020, 1105},
		{"East", 1430, 1390, 1520},
		{"West", 760, 845, 910},
	}); err != nil {
		return err
	}
	totals, err := sheet.Range("A6:D6")
	if err != nil {
		return err
	}
	if _, err := totals.SetFormulas(ctx, [][]any{{"Total", "=SUM(B2:B5)", "=SUM(C2:C5)", "=SUM(D2:D5)"}}); err != nil {
		return err
	}
	header, err := sheet.Range("A1:D1")
	if err != nil {
		return err
	}
	if _, err := header.SetFont(ctx, excel.RangeFont{Bold: excel.Ptr(true), Color: "#FFFFFF"}); err != nil {
		return err
	}
	if _, err := header.SetFill(ctx, "#1F4E78"); err != nil {
		return err
	}
	if _, err := header.SetFormat(ctx, excel.RangeFormat{HorizontalAlignment: "Center", ColumnWidth: excel.Ptr(60.0)}); err != nil {
		return err
	}

	// A table over the figures, sorted by Q3, best first.
	table, err := sheet.AddTable(ctx, "A1:D5", true)
	if err != nil {
		return err
	}
	if err := table.Sort(ctx, false, excel.SortField{Key: 3, Ascending: false}); err != nil {
		return err
	}
	fmt.Fprintf(w, "Added table %s and sorted it by Q3\n\n", table.Name)

	// Read the whole block back, totals included, and print it.
	block, err := sheet.Range("A1:D6")
	if err != nil {
		return err
	}
	data, err := block.Get(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s:\n", data.Address)
	printGrid(w, data.Text)

	font, err := header.Font(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nHeader font: bold=%v color=%s\n", font.Bold != nil && *font.Bold, font.Color)

	// A filter hides the regions whose Q3 is 1,200 or less; the table's
	// visible view holds the rows it shows.
	if err := table.ApplyFilter(ctx, "Q3", excel.FilterCriteria{FilterOn: "Custom", Criterion1: ">1200"}); err != nil {
		return err
	}
	view, err := table.VisibleView(ctx)
	if err != nil {
		return err
	}
	var shown []string
	for _, row := range view.Text[1:] { // below the header
		shown = append(shown, row[0])
	}
	fmt.Fprintf(w, "Q3 above 1200: %s\n", strings.Join(shown, ", "))
	if err := table.ClearFilter(ctx, "Q3"); err != nil {
		return err
	}

	// A chart of the quarters by region, rendered as a PNG.
	chart, err := sheet.AddChart(ctx, excel.ColumnClustered, "A1:D5", excel.SeriesColumns)
	if err != nil {
		return err
	}
	var series []string
	for s, err := range chart.Series(ctx) {
		if err != nil {
			return err
		}
		series = append(series, s.Name)
	}
	img, err := chart.Image(ctx, 640, 0, "")
	if err != nil {
		return err
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(img))
	if err != nil {
		return fmt.Errorf("the chart image: %w", err)
	}
	fmt.Fprintf(w, "Added %s (series %s), rendered %d×%d\n", chart.Name, strings.Join(series, ", "), cfg.Width, cfg.Height)

	// Excel's functions, without writing a formula anywhere.
	pmt, err := wb.Function(ctx, "pmt", map[string]any{"rate": 0.05 / 12, "nper": 36, "pv": -20000})
	if err != nil {
		return err
	}
	if err := pmt.Err(); err != nil {
		return err
	}
	fmt.Fprintf(w, "PMT(5%%/12, 36, -20000) = %.2f a month\n", pmt.Value)
	return nil
}

// printGrid writes a text grid with aligned columns.
func printGrid(w io.Writer, grid [][]string) {
	widths := map[int]int{}
	for _, row := range grid {
		for j, cell := range row {
			widths[j] = max(widths[j], len(cell))
		}
	}
	for _, row := range grid {
		var b strings.Builder
		for j, cell := range row {
			if j == 0 {
				fmt.Fprintf(&b, "  %-*s", widths[j], cell)
			} else {
				fmt.Fprintf(&b, "  %*s", widths[j], cell)
			}
		}
		fmt.Fprintln(w, b.String())
	}
}
