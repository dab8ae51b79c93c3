package demo

import (
	"github.com/go-o365/o365/graphtest"
)

// MarketingSite is the demo tenant's SharePoint site, with a Campaigns
// subsite; SeedDrive adds both.
var MarketingSite = graphtest.Site{Path: "/sites/marketing", DisplayName: "Marketing", Description: "Campaigns, brand and events"}

// SeedDrive fills the first user's OneDrive with a few documents and adds
// the Marketing site (and its Campaigns subsite) with files in its
// document library.
func SeedDrive(srv *graphtest.Server) error {
	mine, err := srv.DriveOf(Users[0].UserPrincipalName)
	if err != nil {
		return err
	}
	if err := addFiles(srv, mine, [][2]string{
		{"Documents/Q1 store figures.xlsx", "region,sales\nSeattle,1200\nRedmond,980\n"},
		{"Documents/Welcome.docx", "Welcome to the Retail team."},
		{"Pictures/Store front.jpg", "(a photo)"},
		{"Notes.txt", "Call Megan about the spring collection."},
	}); err != nil {
		return err
	}
	site := srv.AddSite(MarketingSite)
	srv.AddSite(graphtest.Site{Path: "campaigns", DisplayName: "Campaigns 2026", ParentID: site.ID})
	library, err := srv.DriveOf(site.ID)
	if err != nil {
		return err
	}
	return addFiles(srv, library, [][2]string{
		{"Brand/Logo guidelines.pdf", "%PDF-1.4 (brand guidelines)"},
		{"Brand/Colour palette.pptx", "(slides)"},
		{"Campaigns/Spring brief.docx", "Spring campaign: launch on 1 April."},
	})
}

// addFiles stores {path, content} pairs in a drive, in order.
func addFiles(srv *graphtest.Server, driveID string, files [][2]string) error {
	for _, f := range files {
		if _, err := srv.AddFile(driveID, f[0], []byte(f[1])); err != nil {
			return err
		}
	}
	return nil
}
