package excel_test

import (
	"net/http"
	"testing"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/excel"
	"github.com/go-o365/o365/internal/o365test"
	"github.com/go-o365/o365/internal/wiretest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestChartRequestsMatchTheDocs compares the chart bodies the library
// sends with the requests of Microsoft's chart pages, and what graphtest
// answers with their responses.
func TestChartRequestsMatchTheDocs(t *testing.T) {
	ex := wiretest.Load(t, "testdata/examples.json")
	e := newEnv(t)
	wb, _ := e.open("ChartWire.xlsx")
	sh := sales(t, e, wb)

	// chartcollection-add.md sends a local address; so does AddChart.
	c, err := sh.AddChart(e.ctx, excel.ColumnStacked, "A1:B1", excel.SeriesAuto)
	require.NoError(t, err)
	assert.JSONEq(t, string(ex["chartcollection-add#1"].RequestBody), string(e.wire.LastBody(t, "/charts/add")))

	require.NoError(t, c.Update(e.ctx, excel.ChartUpdate{Height: excel.Ptr(99.0), Left: excel.Ptr(99.0)}))
	assert.JSONEq(t, string(ex["chart-update#1"].RequestBody), string(e.wire.LastBody(t, "/charts/")))
	assert.Equal(t, 99.0, c.Height)

	require.NoError(t, c.SetData(e.ctx, "A1:C5", excel.SeriesColumns))
	assert.Empty(t, wiretest.MissingKeys(ex["chart-setdata#1"].RequestBody, e.wire.LastBody(t, "/setData")))
	require.NoError(t, c.SetPosition(e.ctx, "E2", "H10"))
	assert.Empty(t, wiretest.MissingKeys(ex["chart-setposition#1"].RequestBody, e.wire.LastBody(t, "/setPosition")))

	con := e.account.Connection()
	for example, rest := range map[string]string{
		"chartcollection-add#1":   "/worksheets('Sheet1')/charts('" + c.Name + "')",
		"worksheet-list-charts#1": "/worksheets/Sheet1/charts",
		"chart-update#1":          "/worksheets/Sheet1/charts/" + c.ID,
		"chart-image#1":           "/worksheets/Sheet1/charts/" + c.ID + "/image(width=640,height=480,fittingMode='fit')",
	} {
		got := wiretest.Get(e.ctx, t, con, wb.URL()+rest)
		assert.Empty(t, wiretest.MissingKeys(ex[example].ResponseBody, got), "%s vs GET %s: %s", example, rest, got)
	}
}

// TestChartImageOfTheDocs feeds Image the answer of chart-image.md,
// whose value is a placeholder rather than base64: Image says so
// instead of returning bytes that are no image.
func TestChartImageOfTheDocs(t *testing.T) {
	ex := wiretest.Load(t, "testdata/examples.json")
	e := newEnv(t)
	wb, it := e.open("DocImage.xlsx")
	sh := sales(t, e, wb)
	_, err := sh.AddChart(e.ctx, excel.Pie, "A1:B5", "")
	require.NoError(t, err)
	require.NoError(t, wb.Close(e.ctx))

	acct := o365test.SignIn(t, e.srv, adele, password, o365.WithScopes("excel", "onedrive"),
		o365.WithHTTPClient(&http.Client{Transport: answering{"/image", ex["chart-image#1"].ResponseBody, http.DefaultTransport}}))
	d, err := acct.Storage().DefaultDrive(e.ctx)
	require.NoError(t, err)
	item, err := d.Item(e.ctx, it.ID)
	require.NoError(t, err)
	wb2, err := excel.Open(e.ctx, item, excel.WithoutSession())
	require.NoError(t, err)
	sh2, err := wb2.Worksheet(e.ctx, "Sheet1")
	require.NoError(t, err)
	c, err := sh2.Chart(e.ctx, "Chart 1")
	require.NoError(t, err)
	_, err = c.Image(e.ctx, 640, 480, excel.ImageFit)
	assert.ErrorContains(t, err, "not base64")
}
