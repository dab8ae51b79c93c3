package planner_test

import (
	"errors"
	"fmt"

	"github.com/go-o365/o365/planner"
)

// Placing items with order hints, as "Using order hints in Planner" does:
// before the first item, between two, after the last.
func ExampleOrderHintBetween() {
	first, _ := planner.OrderHintBetween("", "5637")
	between, _ := planner.OrderHintBetween("5637", "adhg")
	last, _ := planner.OrderHintBetween("adhg", "")
	fmt.Printf("%q %q %q\n", first, between, last)

	// A hint Graph returned cannot be sent back as it is.
	err := planner.CheckOrderHint("85752723360752+")
	fmt.Println(errors.Is(err, planner.ErrMalformedOrderHint))
	// Output:
	// " 5637!" "5637 adhg!" "adhg !"
	// true
}

// Reference keys are URLs with '%', '.', ':', '@' and '#' encoded.
func ExampleEncodeReferenceKey() {
	fmt.Println(planner.EncodeReferenceKey("https://contoso.sharepoint.com/Shared Documents/Q1.xlsx"))
	// Output: https%3A//contoso%2Esharepoint%2Ecom/Shared Documents/Q1%2Exlsx
}

// Assign and Unassign edit the assignments; Changes shows what Save sends.
func ExampleTask_Assign() {
	t := &planner.Task{Title: "Write the brief"}
	t.Assign("fbab97d0-4932-4511-b675-204639209557")
	changes, _ := t.Changes()
	fmt.Println(changes["assignments"])
	// Output: map[fbab97d0-4932-4511-b675-204639209557:map[@odata.type:#microsoft.graph.plannerAssignment orderHint: !]]
}
