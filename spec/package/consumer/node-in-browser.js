// A browser bundle that imports stopgrad/node gets the browser stub: it builds, and says what to use instead.
import { save } from 'stopgrad/node';

save({}, 'model.json').catch((error) => console.log(error.message));
