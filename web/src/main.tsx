import '@mantine/core/styles.css';
import { DirectionProvider, MantineProvider } from '@mantine/core';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { registerServiceWorker } from './pwa/register';
import { theme } from './theme/theme';

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root');

// DirectionProvider reads `dir` from <html>; Persian will set it to rtl and Mantine follows.
createRoot(root).render(
  <StrictMode>
    <DirectionProvider>
      <MantineProvider theme={theme} defaultColorScheme="auto">
        <App />
      </MantineProvider>
    </DirectionProvider>
  </StrictMode>,
);

registerServiceWorker();
