/** Entry point of index.html: the meeting side panel and meeting tab. */
import { createRoot } from 'react-dom/client';
import { SidePanel } from './components/SidePanel';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(<SidePanel />);
