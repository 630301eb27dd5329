// Imported first by main.tsx, so it runs before the modules after it (React, the app's shell).
import { loadWorkspaceIfSignedIn } from './app/shell/load-workspace';
import { localStorageOrNull } from './app/ui/local-storage';

loadWorkspaceIfSignedIn(localStorageOrNull());
