// A handler of the non-proxy lambda integration: it gets the mapped event and returns the
// response body; an error's message selects the status ("[404] …" is 404 by default).
exports.handler = async (event) => {
  const id = event.path.id;
  if (id === "missing") throw new Error("[404] no task " + id);
  if (id === "dup") throw new Error("task already exists");
  return { id, event };
};
