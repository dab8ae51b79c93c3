// Package sharepoint works with SharePoint sites through Microsoft Graph:
// the root site, sites by id, by host name and path, search and subsites;
// a site's document libraries (as drive.Drive, with everything package
// drive offers); lists with their columns and content types; and list
// items with their field values.
//
//	sp := account.Sharepoint()
//	site, err := sp.SiteByPath(ctx, "contoso.sharepoint.com", "/sites/marketing")
//	docs, err := site.DefaultDrive(ctx)
//	books, err := site.List(ctx, "Books")
//	for item, err := range books.Items(ctx, o365.Query(query.New().Where(query.Eq("fields/Author", "Le Guin")))) {
//		…
//	}
//	item, err := books.CreateItem(ctx, map[string]any{"Title": "The Dispossessed", "PageCount": 387})
//
// Items are listed with $expand=fields, so Fields holds every column
// value. Filtering or sorting on a field that is not indexed makes
// SharePoint ask for the header Prefer:
// HonorNonIndexedQueriesWarningMayFailRandomly; Items sends it whenever
// the query filters or sorts. ListItem.Update sends only the fields that
// changed.
package sharepoint
