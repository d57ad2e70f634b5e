/** Entry point of config.html: the tab configuration page Teams shows when the app is added to a meeting. */
import { createRoot } from 'react-dom/client';
import { ConfigPage } from './components/ConfigPage';

const root = document.getElementById('root');
if (!root) throw new Error('config.html has no #root element');
createRoot(root).render(<ConfigPage />);
