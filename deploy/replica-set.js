// Run once by compose's mongo-init job (mongosh, as the root user on mongo1): initiate the
// replica set rs0 of three members if it is not yet, wait for a primary, and create the
// application's user (readWrite on its database) from the environment. Idempotent.
const members = ["mongo1:27017", "mongo2:27017", "mongo3:27017"];
try {
  rs.status();
  print("replica set rs0 already initiated");
} catch (e) {
  if (e.codeName !== "NotYetInitialized") throw e;
  rs.initiate({ _id: "rs0", members: members.map((host, i) => ({ _id: i, host })) });
  print("replica set rs0 initiated");
}
for (let i = 0; !db.hello().isWritablePrimary; i++) {
  if (i > 120) throw new Error("no primary after 120 s");
  sleep(1000);
}
const name = process.env.KOMPETANSE_DB_NAME || "kompetanse";
const user = process.env.KOMPETANSE_DB_USER;
const password = process.env.KOMPETANSE_DB_PASSWORD;
const target = db.getSiblingDB(name);
if (target.getUser(user) === null) {
  target.createUser({ user, pwd: password, roles: [{ role: "readWrite", db: name }] });
  print(`user ${user} created on ${name}`);
} else {
  target.updateUser(user, { pwd: password, roles: [{ role: "readWrite", db: name }] });
  print(`user ${user} updated on ${name}`);
}
