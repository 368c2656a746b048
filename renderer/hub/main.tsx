import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { HubApp } from './shell/hub-app';

const container = document.getElementById('root');
if (container) {
  createRoot(container).render(
    <StrictMode>
      <HubApp />
    </StrictMode>,
  );
}
