// Ids are UUIDs. Checking the shape first keeps a malformed id from ever reaching a query (where
// PostgreSQL would refuse it with an error rather than a plain "not found").
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string): boolean => uuidPattern.test(value);
