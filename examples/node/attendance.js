// Attendance: enrol everyone in a folder (one photo each, named after the person), then say who is in a photo.
//   node attendance.js staff_photos/ door_camera.jpg
// Written for Baidu's cloud SDK; the only change for facekit is the require line.
const fs = require('fs');
const path = require('path');
const AipFace = require('facekit').face; // was: require('baidu-aip-sdk').face

const client = new AipFace('APP_ID', 'API_KEY', 'SECRET_KEY');
const photo = (file) => fs.readFileSync(file).toString('base64');

async function main([folder, snapshot]) {
  for (const file of fs.readdirSync(folder).filter((f) => /\.(jpe?g|png)$/i.test(f)).sort()) {
    const id = path.parse(file).name;
    const r = await client.addUser(photo(path.join(folder, file)), 'BASE64', 'staff', id, { user_info: id });
    console.log(r.error_code === 0 ? `enrolled ${id}` : `skipped ${file}: ${r.error_msg}`);
  }
  const r = await client.search(photo(snapshot), 'BASE64', 'staff', { max_user_num: 1, match_threshold: 80 });
  const best = r.error_code === 0 ? r.result.user_list[0] : null;
  console.log(best ? `present: ${best.user_info} (score ${best.score.toFixed(1)})` : `not recognised: ${r.error_msg}`);
}

main(process.argv.slice(2));
