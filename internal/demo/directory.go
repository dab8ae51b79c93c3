package demo

import (
	"time"

	"github.com/go-o365/o365/graphtest"
)

// DemoSKU is the licence (Microsoft 365 E3) the demo organisation assigns.
const DemoSKU = "05e9a617-0261-4cee-bb44-138d3ef5d965"

// SeedOrganisation gives the demo users the directory properties of a
// real organisation (department, employee data, address, licences,
// on-premises synchronisation), the organisation chart of SeedDirectory,
// and two groups: Marketing (Alex, Megan) inside All Staff (Adele).
func SeedOrganisation(srv *graphtest.Server) error {
	yes, no := true, false
	details := []graphtest.User{
		{Department: "Retail", CompanyName: "Contoso", EmployeeID: "E1001", EmployeeType: "Employee",
			EmployeeHireDate: time.Date(2017, 4, 3, 0, 0, 0, 0, time.UTC), EmployeeOrgData: &graphtest.UserOrgData{Division: "Stores", CostCenter: "CC-100"},
			City: "Bellevue", State: "WA", Country: "US", UsageLocation: "US", OnPremisesSyncEnabled: &yes,
			OnPremisesSamAccountName: "adelev", OnPremisesDomainName: "corp.contoso.com",
			OnPremisesLastSyncDateTime: time.Date(2026, 12, 4, 22, 0, 0, 0, time.UTC)},
		{Department: "Marketing", CompanyName: "Contoso", EmployeeID: "E1002", EmployeeType: "Employee",
			EmployeeHireDate: time.Date(2021, 9, 1, 0, 0, 0, 0, time.UTC), EmployeeOrgData: &graphtest.UserOrgData{Division: "Brand", CostCenter: "CC-200"},
			City: "Seattle", State: "WA", Country: "US", UsageLocation: "US", OnPremisesSyncEnabled: &no},
		{Department: "Marketing", CompanyName: "Contoso", EmployeeID: "E1003", EmployeeType: "Contractor",
			EmployeeHireDate: time.Date(2019, 1, 14, 0, 0, 0, 0, time.UTC), EmployeeOrgData: &graphtest.UserOrgData{Division: "Brand", CostCenter: "CC-200"},
			City: "Dublin", Country: "IE", UsageLocation: "IE", OnPremisesSyncEnabled: &no},
	}
	for i, d := range details {
		u := Users[i]
		u.Department, u.CompanyName, u.EmployeeID, u.EmployeeType = d.Department, d.CompanyName, d.EmployeeID, d.EmployeeType
		u.EmployeeHireDate, u.EmployeeOrgData = d.EmployeeHireDate, d.EmployeeOrgData
		u.City, u.State, u.Country, u.UsageLocation = d.City, d.State, d.Country, d.UsageLocation
		u.OnPremisesSyncEnabled, u.OnPremisesSamAccountName = d.OnPremisesSyncEnabled, d.OnPremisesSamAccountName
		u.OnPremisesDomainName, u.OnPremisesLastSyncDateTime = d.OnPremisesDomainName, d.OnPremisesLastSyncDateTime
		u.AccountEnabled, u.UserType, u.Mail = &yes, "Member", u.UserPrincipalName
		if i != 2 { // the contractor has no licence
			u.AssignedLicenses = []graphtest.UserLicense{{SkuID: DemoSKU}}
		}
		srv.AddUser(u)
	}
	if err := SeedDirectory(srv); err != nil {
		return err
	}
	staff, err := srv.AddGroup(graphtest.Group{DisplayName: "All Staff", SecurityEnabled: true,
		Members: []string{Users[0].UserPrincipalName}})
	if err != nil {
		return err
	}
	_, err = srv.AddGroup(graphtest.Group{DisplayName: "Marketing", Mail: "marketing@contoso.onmicrosoft.com",
		MailNickname: "marketing", MailEnabled: true, GroupTypes: []string{"Unified"},
		Members: []string{Users[1].UserPrincipalName, Users[2].UserPrincipalName}})
	if err != nil {
		return err
	}
	return srv.AddGroupMember(staff.ID, "marketing@contoso.onmicrosoft.com")
}
