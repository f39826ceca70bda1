// Reads a folder of decision records the way log4brains does (@log4brains/core, the package
// its site and CLI are built on) and prints each record's title, status and deciders as JSON.
// Usage: node read_adrs.js PROJECT_DIR (a folder with .log4brains.yml and its adrFolder).
const { Log4brains } = require("@log4brains/core");

async function main(projectDir) {
  const adrs = await Log4brains.create(projectDir).searchAdrs();
  const read = adrs.map((adr) => ({
    slug: adr.slug,
    title: adr.title,
    status: adr.status,
    deciders: adr.deciders,
    publicationDate: adr.publicationDate,
  }));
  process.stdout.write(JSON.stringify(read) + "\n");
}

main(process.argv[2]).catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error) + "\n");
  process.exit(1);
});
