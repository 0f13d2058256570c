package iam

import "context"

// DefaultMaxItems is how many items a list returns when MaxItems is not given ("If you do
// not include this parameter, the number of items defaults to 100", IAM API reference,
// ListRoles).
const DefaultMaxItems = 100

// pageOf collects up to maxItems items after marker from a store listing ordered by key,
// keeping those keep accepts (nil keeps all), and returns the marker of the next page ("" on
// the last). Markers are the store's keys (lower-cased names, policy names): opaque to
// clients, as IAM's are.
func pageOf[T any](ctx context.Context, marker string, maxItems int,
	fetch func(ctx context.Context, after string, limit int) ([]T, error),
	key func(T) string, keep func(T) bool) ([]T, string, error) {
	if maxItems <= 0 {
		maxItems = DefaultMaxItems
	}
	chunk := maxItems + 1
	var items []T
	after := marker
	for {
		batch, err := fetch(ctx, after, chunk)
		if err != nil {
			return nil, "", err
		}
		for _, it := range batch {
			after = key(it)
			if keep != nil && !keep(it) {
				continue
			}
			items = append(items, it)
			if len(items) > maxItems {
				items = items[:maxItems]
				return items, key(items[maxItems-1]), nil
			}
		}
		if len(batch) < chunk {
			return items, "", nil
		}
	}
}
