package odata

// Graph's texts for a request body it cannot read (answered 400
// RequestBodyRead). Every area's input checks refuse with the same words,
// so they are written once here.

// UnknownProperty is Graph's refusal of a property that type typ does not
// declare.
func UnknownProperty(name, typ string) string {
	return "The property '" + name + "' does not exist on type '" + typ +
		"'. Make sure to only use property names that are defined by the type or mark the type as open type."
}

// WrongType is Graph's refusal of a value that does not convert to the
// property's declared type edm.
func WrongType(name, edm string) string {
	return "Cannot convert the value of property '" + name + "' to the expected type '" + edm + "'."
}
